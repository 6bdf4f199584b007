package dev.castle.cli;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

import dev.castle.imports.ImportResult;
import dev.castle.imports.OamImporter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "oam", mixinStandardHelpOptions = true,
        description = {"Turns a KubeVela / OAM Application (core.oam.dev/v1beta1) into a castle descriptor.",
                "Components webservice, worker, task and cron-task; traits scaler, cpuscaler, gateway, expose, storage, labels,"
                        + " annotations; topology and override policies (as the workflow's deploy steps combine them) become environments."})
final class ImportOamCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The Application manifest.")
    Path file;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", defaultValue = "castle.yaml",
            description = "The descriptor to write (default: ${DEFAULT-VALUE}; - for standard output).")
    Path output;

    @Option(names = "--name", paramLabel = "NAME", description = "The system's name (default: the Application's).")
    String name;

    @Option(names = "--force", description = "Overwrite the output file.")
    boolean force;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        InitCommand.checkName("--name", name);
        ImportResult result = OamImporter.importFile(file, Optional.ofNullable(name));
        return ImportOutput.write(spec, result, "castle import oam", output, force);
    }
}
