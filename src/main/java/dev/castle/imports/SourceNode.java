package dev.castle.imports;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.castle.load.Position;

/**
 * A file read for import (a Compose file, an OAM Application), as a tree that remembers where each
 * value stood, so that every finding names its file, line and column. Scalars keep their text and
 * the YAML type it resolved to.
 */
sealed interface SourceNode permits SourceNode.Map, SourceNode.Seq, SourceNode.Scalar {

    Position position();

    /** JSON pointer from the root of its file. */
    String pointer();

    record Map(Position position, String pointer, java.util.Map<String, Entry> entries) implements SourceNode {
        public Map {
            entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }

        Optional<SourceNode> get(String key) {
            Entry entry = entries.get(key);
            return entry == null ? Optional.empty() : Optional.of(entry.value());
        }

        Optional<String> text(String key) {
            return get(key).filter(v -> v instanceof Scalar s && !s.isNull()).map(v -> ((Scalar) v).text());
        }

        Optional<Map> map(String key) {
            return get(key).filter(Map.class::isInstance).map(Map.class::cast);
        }

        Optional<Seq> seq(String key) {
            return get(key).filter(Seq.class::isInstance).map(Seq.class::cast);
        }

        /** Where the key of an entry stands (for findings about the entry as a whole). */
        Position keyPosition(String key) {
            Entry entry = entries.get(key);
            return entry == null ? position : entry.keyPosition();
        }
    }

    record Entry(Position keyPosition, SourceNode value) {
    }

    record Seq(Position position, String pointer, List<SourceNode> items) implements SourceNode {
        public Seq {
            items = List.copyOf(items);
        }
    }

    enum Type { STRING, INTEGER, FLOAT, BOOLEAN, NULL }

    record Scalar(Position position, String pointer, String text, Type type) implements SourceNode {
        boolean isNull() {
            return type == Type.NULL;
        }

        /** YAML 1.1 booleans (true, yes, on) as Compose reads them. */
        boolean isTrue() {
            return type == Type.BOOLEAN && java.util.Set.of("true", "yes", "on", "y").contains(text.toLowerCase(java.util.Locale.ROOT));
        }
    }

    static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    /** The tree as plain Java values (maps, lists, strings, numbers, booleans, null), e.g. for a JSON Schema. */
    static Object plain(SourceNode node) {
        if (node instanceof Map map) {
            java.util.Map<String, Object> out = new LinkedHashMap<>();
            map.entries().forEach((k, e) -> out.put(k, plain(e.value())));
            return out;
        }
        if (node instanceof Seq seq) {
            return seq.items().stream().map(SourceNode::plain).toList();
        }
        Scalar s = (Scalar) node;
        return switch (s.type()) {
            case NULL -> null;
            case BOOLEAN -> s.isTrue();
            case INTEGER -> parseInteger(s.text());
            case FLOAT -> parseFloat(s.text());
            case STRING -> s.text();
        };
    }

    private static Object parseInteger(String text) {
        String t = text.replace("_", "");
        try {
            if (t.startsWith("0x") || t.startsWith("-0x") || t.startsWith("+0x")) {
                return new java.math.BigInteger(t.replaceFirst("0x", ""), 16);
            }
            if (t.startsWith("0o")) {
                return new java.math.BigInteger(t.substring(2), 8);
            }
            return new java.math.BigInteger(t.startsWith("+") ? t.substring(1) : t);
        } catch (NumberFormatException e) {
            return text;
        }
    }

    private static Object parseFloat(String text) {
        try {
            return new java.math.BigDecimal(text.replace("_", ""));
        } catch (NumberFormatException e) {
            return text;
        }
    }
}
