package dev.castle.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.castle.testing.Tools;

/**
 * castle's unified diffs are real ones: GNU patch applies each to the old text and gets the new
 * text, over many random edits of a YAML-like text; and Secret values never appear in a diff.
 */
class UnifiedDiffTest {

    @Test
    void patchTurnsTheOldTextIntoTheNewOneForRandomEdits(@TempDir Path tmp) throws Exception {
        Random random = new Random(17);
        for (int round = 0; round < 60; round++) {
            List<String> a = new ArrayList<>();
            int n = random.nextInt(40);
            for (int i = 0; i < n; i++) {
                a.add("  key" + random.nextInt(12) + ": value" + random.nextInt(5));
            }
            List<String> b = new ArrayList<>(a);
            int edits = 1 + random.nextInt(6);
            for (int e = 0; e < edits; e++) {
                int at = b.isEmpty() ? 0 : random.nextInt(b.size() + 1);
                switch (random.nextInt(3)) {
                    case 0 -> b.add(at, "  added" + e + ": x");
                    case 1 -> {
                        if (at < b.size()) {
                            b.remove(at);
                        }
                    }
                    default -> {
                        if (at < b.size()) {
                            b.set(at, b.get(at) + " changed");
                        }
                    }
                }
            }
            List<String> hunks = UnifiedDiff.hunks(a, b);
            if (a.equals(b)) {
                assertTrue(hunks.isEmpty());
                continue;
            }
            Path old = Files.write(tmp.resolve("old-" + round), a);
            Path patch = Files.writeString(tmp.resolve("patch-" + round), "--- old\n+++ new\n" + String.join("\n", hunks) + "\n");
            Path result = tmp.resolve("new-" + round);
            Tools.run(tmp, "patch", "--quiet", "-o", result.toString(), old.toString(), patch.toString()).assertOk();
            assertEquals(b, Files.readAllLines(result), "round " + round + ":\n" + String.join("\n", hunks));
        }
    }

    @Test
    void objectsAreComparedByIdentityAndSecretValuesAreHidden() {
        String before = "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {password: c2VjcmV0}\n---\n"
                + "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: '1'}\n";
        String after = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: '2'}\n---\n"
                + "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {password: b3RoZXI=}\n---\n"
                + "apiVersion: v1\nkind: Service\nmetadata: {name: new}\n";
        ManifestDiff diff = ManifestDiff.of(before, after, "old", "new");
        assertEquals(1, diff.changed());
        assertEquals(1, diff.added());
        assertEquals(0, diff.removed());
        assertEquals(1, diff.unchanged(), "the Secret differs only in its hidden value");
        String text = String.join("\n", diff.text());
        assertTrue(text.contains("--- old: v1 ConfigMap c\n+++ new: v1 ConfigMap c\n"), text);
        assertTrue(text.contains("-  a: '1'\n+  a: '2'") || text.contains("-  a: \"1\"\n+  a: \"2\""), text);
        assertTrue(text.contains("--- /dev/null\n+++ new: v1 Service new"), text);
        assertTrue(!text.contains("c2VjcmV0") && !text.contains("b3RoZXI="), text);
    }
}
