package dev.castle.cli;

import java.util.concurrent.Callable;

import dev.castle.schema.SchemaCheck;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "schema", mixinStandardHelpOptions = true,
        description = "Prints the JSON Schema (draft 2020-12) of the descriptor, for editors and CI.")
final class SchemaCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().println(new SchemaCheck().schemaText());
        return ExitCodes.OK;
    }
}
