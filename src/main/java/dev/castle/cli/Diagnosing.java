package dev.castle.cli;

import java.nio.file.Path;

/** A command that checks a descriptor and reports its problems in the format the user chose. */
interface Diagnosing {
    DiagnosticsOptions.Format format();

    Path descriptor();
}
