package dev.castle.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Makes a castle descriptor from another description of the system, as a start the user then owns.",
                "Everything that does not carry over as it was is listed with its place, in the output and at the top of the file."},
        subcommands = {ImportComposeCommand.class, ImportOamCommand.class})
final class ImportCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say what to import: castle import compose FILE... or castle import oam FILE");
    }
}
