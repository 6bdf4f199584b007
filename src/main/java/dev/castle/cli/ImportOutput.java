package dev.castle.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

import dev.castle.imports.Finding;
import dev.castle.imports.ImportResult;
import dev.castle.model.SystemModel;
import picocli.CommandLine;

/** What both importers print and write: the findings on standard error, the descriptor to the file. */
final class ImportOutput {
    private ImportOutput() {
    }

    static int write(CommandLine.Model.CommandSpec spec, ImportResult result, String command, Path output, boolean force)
            throws IOException {
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
