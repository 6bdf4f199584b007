package dev.castle.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;

/** values.yaml is written block by block, each top-level key's block emitted once per run and reused. */
class YamlBlocksTest {
    /** Each block is the dump of its key alone, also for odd keys and multi-line text, remembered or not. */
    @Test
    void blocksAreTheDumpsOfEachKeyAlone() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("plain", "text");
        tree.put("with: colon", Map.of("b", 2, "a", List.of(1, "two", Map.of("x", "y"))));
        tree.put("multi", "line one\n\nline three\n");
        tree.put("keep", "trailing\n\n\n");
        tree.put("empty", Map.of());
        tree.put("list", List.of());
        tree.put("#comment-like", "yes");
        tree.put("k".repeat(200), "a key SnakeYAML writes in the explicit form");
        tree.put("indented", "  starts with spaces\nand more");
        tree.put("last", "x\n\n");
        Map<Object, String> written = new ConcurrentHashMap<>();
        for (int run = 0; run < 2; run++) {
            Map<String, String> blocks = Yaml.blocks(tree, written);
            assertEquals(List.copyOf(tree.keySet()), List.copyOf(blocks.keySet()));
            tree.forEach((key, value) -> {
                Map<String, Object> alone = new LinkedHashMap<>();
                alone.put(key, value);
                assertEquals(Yaml.dump(alone), blocks.get(key), key);
            });
        }
        assertEquals(tree.size(), written.size());
    }

    /** A remembered block is reused only for the same content in the same order: maps that are equal but ordered otherwise are written as they are. */
    @Test
    void aBlockIsReusedOnlyForTheSameContentInTheSameOrder() {
        Map<Object, String> written = new ConcurrentHashMap<>();
        Map<String, Object> xy = new LinkedHashMap<>();
        xy.put("p", 1);
        xy.put("q", List.of("a", "b"));
        Map<String, Object> yx = new LinkedHashMap<>();
        yx.put("q", List.of("a", "b"));
        yx.put("p", 1);
        assertEquals(xy, yx);
        assertEquals("probe:\n  p: 1\n  q:\n    - a\n    - b\n", Yaml.blocks(Map.of("probe", xy), written).get("probe"));
        assertEquals("probe:\n  q:\n    - a\n    - b\n  p: 1\n", Yaml.blocks(Map.of("probe", yx), written).get("probe"));
        // A map without an order of its own is written sorted, so equal ones share a block.
        assertEquals(Yaml.blocks(Map.of("m", new TreeMap<>(Map.of("b", 1, "a", 2))), written).get("m"),
                Yaml.blocks(Map.of("m", new java.util.HashMap<>(Map.of("a", 2, "b", 1))), written).get("m"));
        // The same value under another key, and a list against a map of the same items, are blocks of their own.
        assertNotEquals(Yaml.blocks(Map.of("a", List.of("x", 1)), written).get("a"), Yaml.blocks(Map.of("a", Map.of("x", 1)), written).get("a"));
        assertEquals("other:\n  p: 1\n  q:\n    - a\n    - b\n", Yaml.blocks(Map.of("other", xy), written).get("other"));
    }
}
