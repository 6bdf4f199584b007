package dev.castle.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.castle.model.SystemModel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Checks a descriptor against the schema and castle's rules; writes nothing.",
                "Exit status 0 when it is valid (warnings are printed), 2 when it has problems (or warnings with --strict)."})
final class ValidateCommand implements Callable<Integer>, Diagnosing {
    @Parameters(paramLabel = "FILE", description = "The system descriptor (castle.yaml).")
    Path file;

    @Mixin
    DiagnosticsOptions diagnostics;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "Same as --format: text, json or github.")
    DiagnosticsOptions.Format output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public DiagnosticsOptions.Format format() {
        return output != null ? output : diagnostics.format;
    }

    @Override
    public Path descriptor() {
        return file;
    }

    @Override
    public Integer call() throws Exception {
        Pipeline.Checked checked = Pipeline.check(file, diagnostics.strict);
        SystemModel model = checked.model();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("system", model.metadata().name());
        summary.put("version", model.metadata().version());
        summary.put("services", model.services().size());
        DiagnosticsReport.passed(format(), file, checked.warnings(), summary, spec.commandLine().getOut(), spec.commandLine().getErr());
        if (format() != DiagnosticsOptions.Format.json) {
            spec.commandLine().getOut().println(file + ": valid; system " + model.metadata().name() + " "
                    + model.metadata().version() + " with " + model.services().size() + " services"
                    + (checked.warnings().isEmpty() ? "" : " (" + checked.warnings().size()
                    + (checked.warnings().size() == 1 ? " warning)" : " warnings)")));
        }
        return ExitCodes.OK;
    }
}
