package dev.castle.imports;

import java.util.Map;

/** How castle writes a descriptor it made: the YAML emitter for the data, comments only around it. */
public final class DescriptorText {
    /** The schema file beside the descriptor that its first line points editors to ({@code castle schema} writes it). */
    public static final String SCHEMA_FILE = "castle.schema.json";

    private DescriptorText() {
    }

    static String body(Map<String, Object> descriptor) {
        return dev.castle.text.Yaml.dump(descriptor);
    }

    /** A line of text made safe for a YAML comment: one line, no control characters. */
    static String commentSafe(String text) {
        return text.replaceAll("[\\p{Cntrl}&&[^\t]]", " ");
    }
}
