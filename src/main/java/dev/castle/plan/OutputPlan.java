package dev.castle.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The table of contents of castle's output: every file, sorted by path, and the trees derived from
 * the rendered charts (the Kustomize output, rendered by Helm's engine once the charts are); roots
 * are the folders the run owns, derived trees included.
 */
public record OutputPlan(List<String> roots, List<PlannedFile> files, List<DerivedTree> derived) {
    /** A tree made from the rendered charts rather than from templates. */
    public sealed interface DerivedTree permits KustomizeTree {
        String root();
    }

    /** {@code kustomize/<system>/}: base and overlays rendered from the chart by Helm's engine. */
    public record KustomizeTree(String root) implements DerivedTree {
    }

    public OutputPlan {
        roots = List.copyOf(roots);
        derived = List.copyOf(derived);
        List<PlannedFile> sorted = new ArrayList<>(files);
        sorted.sort(Comparator.comparing(PlannedFile::path));
        files = List.copyOf(sorted);
    }
}
