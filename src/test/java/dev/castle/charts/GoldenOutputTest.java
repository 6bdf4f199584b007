package dev.castle.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.castle.testing.Tools;

/**
 * The committed output of the example, {@code charts-out/}, is exactly what castle generates
 * today: regenerating it changes no byte, adds no file and removes none. When a change to castle
 * changes the output on purpose, regenerate with {@code ./castle generate examples/shop/castle.yaml}
 * and review the diff.
 */
@Tag("integration")
class GoldenOutputTest {

    @Test
    void committedExampleOutputIsUpToDate(@TempDir Path out) throws IOException {
        Path project = Tools.projectDir();
        Generation.generate(project.resolve("examples/shop/castle.yaml"), out);
        Map<String, byte[]> expected = tree(project.resolve("charts-out"));
        Map<String, byte[]> actual = tree(out);
        assertTrue(expected.size() > 50, "charts-out holds the generated example");
        assertEquals(expected.keySet(), actual.keySet(), "files of charts-out");
        List<String> different = new ArrayList<>();
        expected.forEach((path, bytes) -> {
            if (!java.util.Arrays.equals(bytes, actual.get(path))) {
                different.add(path);
            }
        });
        assertEquals(List.of(), different, "files whose bytes differ from a fresh generation; regenerate and review");
    }

    @Test
    void twoGenerationsAreByteIdentical(@TempDir Path first, @TempDir Path second) throws IOException {
        Path descriptor = Tools.projectDir().resolve("examples/shop/castle.yaml");
        Generation.generate(descriptor, first);
        Generation.generate(descriptor, second);
        Map<String, byte[]> a = tree(first);
        Map<String, byte[]> b = tree(second);
        assertEquals(a.keySet(), b.keySet());
        a.forEach((path, bytes) -> assertTrue(java.util.Arrays.equals(bytes, b.get(path)), path));
    }

    static Map<String, byte[]> tree(Path root) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(path).toString(), Files.readAllBytes(path));
            }
        }
        return files;
    }
}
