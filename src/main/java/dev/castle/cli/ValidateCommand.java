package dev.castle.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.castle.model.SystemModel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Checks a descriptor against the schema and castle's rules; writes nothing.")
final class ValidateCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The system descriptor (castle.yaml).")
    Path file;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        SystemModel model = Pipeline.model(file);
        spec.commandLine().getOut().println(file + ": valid; system " + model.metadata().name() + " "
                + model.metadata().version() + " with " + model.services().size() + " services");
        return ExitCodes.OK;
    }
}
