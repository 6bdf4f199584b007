package dev.castle.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The table of contents of castle's output: every file, sorted by path. */
public record OutputPlan(List<String> roots, List<PlannedFile> files) {
    public OutputPlan {
        roots = List.copyOf(roots);
        List<PlannedFile> sorted = new ArrayList<>(files);
        sorted.sort(Comparator.comparing(PlannedFile::path));
        files = List.copyOf(sorted);
    }
}
