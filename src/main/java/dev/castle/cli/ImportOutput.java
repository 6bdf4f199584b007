package dev.castle.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

import dev.castle.imports.Finding;
import dev.castle.imports.ImportResult;
import dev.castle.model.SystemModel;
import picocli.CommandLine;

/**
 * The options and output both importers share (a picocli mixin): the descriptor to write, whether it
 * may replace a file, the findings on standard error.
 */
final class ImportOutput {
    @CommandLine.Option(names = {"-o", "--output"}, paramLabel = "FILE", defaultValue = "castle.yaml",
            description = "The descriptor to write (default: ${DEFAULT-VALUE}; - for standard output).")
    Path output;

    @CommandLine.Option(names = "--force", description = "Overwrite the output file.")
    boolean force;

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec spec;

    int write(ImportResult result, String command) throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SystemModel model = DescriptorOutput.write(output, result.text(command), force, out);
        if (!result.findings().isEmpty()) {
            err.println("castle: " + result.findings().size() + (result.findings().size() == 1 ? " thing" : " things")
                    + " did not carry over as it was (also listed at the top of the descriptor):");
            for (Finding f : result.findings()) {
                err.println("  " + f.format());
            }
            err.flush();
        }
        if (!output.toString().equals("-")) {
            out.println("wrote " + output + ": system " + model.metadata().name() + " with " + count(model.services().size(), "service")
                    + " and " + count(model.infrastructure().size(), "infrastructure component") + "; next: castle graph " + output
                    + ", castle generate " + output);
        }
        return ExitCodes.OK;
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }
}
