package dev.castle.load;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The descriptor as a tree that remembers where each value stood in its file. Scalars keep the
 * exact text the user wrote together with the type YAML resolved for it, so that {@code yes},
 * {@code 0x1F} or {@code 1e3} can be passed on as the user meant them.
 */
public sealed interface Node permits Node.MapNode, Node.ListNode, Node.ScalarNode {

    Position position();

    /** JSON pointer of this node from the document root. */
    String pointer();

    record MapNode(Position position, String pointer, Map<String, Entry> entries) implements Node {
        public MapNode {
            entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }

        public Optional<Node> get(String key) {
            Entry entry = entries.get(key);
            return entry == null ? Optional.empty() : Optional.of(entry.value());
        }

    }

    /** A map entry: the key's own position (for errors about the key) and the value. */
    record Entry(Position keyPosition, Node value) {
    }

    record ListNode(Position position, String pointer, List<Node> items) implements Node {
        public ListNode {
            items = List.copyOf(items);
        }
    }

    enum ScalarType {
        STRING, INTEGER, FLOAT, BOOLEAN, NULL;

        /** The type YAML 1.1 gives a scalar: its tag, or for a plain scalar the type its text resolves to. */
        public static ScalarType of(org.yaml.snakeyaml.nodes.ScalarNode scalar, org.yaml.snakeyaml.resolver.Resolver resolver) {
            org.yaml.snakeyaml.nodes.Tag tag = scalar.getTag();
            if (scalar.getNodeId() == org.yaml.snakeyaml.nodes.NodeId.scalar && scalar.isPlain()) {
                tag = resolver.resolve(org.yaml.snakeyaml.nodes.NodeId.scalar, scalar.getValue(), true);
            }
            if (org.yaml.snakeyaml.nodes.Tag.INT.equals(tag)) {
                return INTEGER;
            }
            if (org.yaml.snakeyaml.nodes.Tag.FLOAT.equals(tag)) {
                return FLOAT;
            }
            if (org.yaml.snakeyaml.nodes.Tag.BOOL.equals(tag)) {
                return BOOLEAN;
            }
            return org.yaml.snakeyaml.nodes.Tag.NULL.equals(tag) ? NULL : STRING;
        }
    }

    record ScalarNode(Position position, String pointer, String text, ScalarType type, boolean plain)
            implements Node {

        public boolean isNull() {
            return type == ScalarType.NULL;
        }
    }

    static String escapePointerToken(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
