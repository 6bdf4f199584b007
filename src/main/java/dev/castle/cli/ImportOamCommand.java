package dev.castle.cli;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

import dev.castle.imports.ImportResult;
import dev.castle.imports.OamImporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "oam", mixinStandardHelpOptions = true,
        description = {"Turns a KubeVela / OAM Application (core.oam.dev/v1beta1) into a castle descriptor.",
                "Components webservice, worker, task and cron-task; traits scaler, cpuscaler, gateway, expose, storage, labels,"
                        + " annotations; topology and override policies (as the workflow's deploy steps combine them) become environments."})
final class ImportOamCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The Application manifest.")
    Path file;

    @Option(names = "--name", paramLabel = "NAME", description = "The system's name (default: the Application's).")
    String name;

    @Mixin
    ImportOutput output;

    @Override
    public Integer call() throws Exception {
        InitCommand.checkName("--name", name);
        ImportResult result = OamImporter.importFile(file, Optional.ofNullable(name));
        return output.write(result, "castle import oam");
    }
}
