package dev.castle.diff;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What changes in the cluster objects between two renders of a chart: per object (not per file),
 * a unified diff of its YAML, objects added and removed, and how many stay as they are.
 */
public record ManifestDiff(List<String> text, int changed, int added, int removed, int unchanged) {

    /** {@code oldLabel} and {@code newLabel} name the two sides in the headers. */
    public static ManifestDiff of(String oldRender, String newRender, String oldLabel, String newLabel) {
        Map<String, RenderedObject> before = RenderedObject.split(oldRender);
        Map<String, RenderedObject> after = RenderedObject.split(newRender);
        List<String> out = new ArrayList<>();
        int changed = 0;
        int added = 0;
        int removed = 0;
        int unchanged = 0;
        TreeSet<String> keys = new TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        for (String key : keys) {
            RenderedObject a = before.get(key);
            RenderedObject b = after.get(key);
            List<String> hunks = UnifiedDiff.hunks(a == null ? List.of() : a.lines(), b == null ? List.of() : b.lines());
            if (hunks.isEmpty()) {
                unchanged++;
                continue;
            }
            if (a == null) {
                added++;
            } else if (b == null) {
                removed++;
            } else {
                changed++;
            }
            out.add("--- " + (a == null ? "/dev/null" : oldLabel + ": " + key));
            out.add("+++ " + (b == null ? "/dev/null" : newLabel + ": " + key));
            out.addAll(hunks);
        }
        return new ManifestDiff(List.copyOf(out), changed, added, removed, unchanged);
    }

    public boolean isEmpty() {
        return changed + added + removed == 0;
    }
}
