package dev.castle.cli;

import picocli.CommandLine.Option;

/** How validate and generate report the problems they find, and whether warnings fail the run. */
final class DiagnosticsOptions {
    /** text: lines on stderr; json: one document on stdout; github: GitHub Actions annotations on stdout (and text on stderr). */
    enum Format { text, json, github }

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "How problems are reported: text (default, on stderr), json (one document on stdout, see "
                    + "schemas/castle-diagnostics.schema.json) or github (GitHub Actions annotations).")
    Format format = Format.text;

    @Option(names = "--strict", description = "Treat warnings as errors (exit 2), as helm lint --strict does.")
    boolean strict;
}
