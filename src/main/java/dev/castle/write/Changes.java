package dev.castle.write;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a write would do, file by file (paths relative to the output folder).
 *
 * @param edited files castle wrote that were changed by hand since (overwritten only with --force)
 * @param foreign paths castle did not write where its output goes: never deleted nor replaced
 * @param recordCurrent whether the checksum record already lists exactly the new files
 * @param recorded whether castle has a record of the system in this output folder at all
 */
public record Changes(List<String> added, List<String> changed, List<String> removed, List<String> unchanged,
                      List<String> edited, List<Foreign> foreign, boolean recordCurrent, boolean recorded) {

    /** A path castle did not write, and what it is ("a symbolic link", "a FIFO", ...). */
    public record Foreign(String path, String what) {
    }

    public Changes {
        added = List.copyOf(added);
        changed = List.copyOf(changed);
        removed = List.copyOf(removed);
        unchanged = List.copyOf(unchanged);
        edited = List.copyOf(edited);
        foreign = List.copyOf(foreign);
    }

    /** Nothing to write: the files on disk and the record are already what this run would write. */
    public boolean isEmpty() {
        return added.isEmpty() && changed.isEmpty() && removed.isEmpty() && recordCurrent;
    }

    /** Why castle must not write, if it must not: paths it did not write, or hand edits without {@code force}. */
    public Optional<String> refusal(Path outputDir, boolean force) {
        if (!foreign.isEmpty()) {
            StringBuilder message = new StringBuilder("refusing to write to " + outputDir + ": castle did not write these"
                    + " paths where its output goes, and never deletes or replaces them (not even with --force):");
            foreign.forEach(f -> message.append("\n  ").append(outputDir.resolve(f.path())).append(" (").append(f.what()).append(')'));
            if (!recorded) {
                message.append("\ncastle has no record of writing there (").append(outputDir.resolve(OutputWriter.RECORD_DIR))
                        .append(" lists what it wrote).");
            }
            message.append("\nMove them out of the way, or choose another output folder with -o; nothing was written.");
            return Optional.of(message.toString());
        }
        if (!edited.isEmpty() && !force) {
            StringBuilder message = new StringBuilder("these files under " + outputDir
                    + " were edited by hand since castle generated them, and would be overwritten or removed:");
            edited.forEach(f -> message.append("\n  ").append(f));
            message.append("\nMove your changes into the descriptor or a --templates folder, or run again with --force.");
            return Optional.of(message.toString());
        }
        return Optional.empty();
    }
}
