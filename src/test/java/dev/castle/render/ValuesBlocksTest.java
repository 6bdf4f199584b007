package dev.castle.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.castle.text.Yaml;

/** values.yaml is written from one dump per chart, cut into blocks per key: exactly the dump of each key alone. */
class ValuesBlocksTest {
    /** values.yaml: the blocks cut out of one dump are the dumps of each key alone, also for odd keys and multi-line text. */
    @Test
    void valuesBlocksAreTheDumpsOfEachKey() {
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
        Map<String, String> blocks = Renderer.blocks(tree);
        tree.forEach((key, value) -> {
            Map<String, Object> alone = new LinkedHashMap<>();
            alone.put(key, value);
            assertEquals(Yaml.dump(alone), blocks.get(key), key);
        });
        tree.remove("k".repeat(200));
        Map<String, String> cut = Renderer.blocks(tree);
        tree.forEach((key, value) -> {
            Map<String, Object> alone = new LinkedHashMap<>();
            alone.put(key, value);
            assertEquals(Yaml.dump(alone), cut.get(key), key);
        });
    }
}
