package dev.castle.model;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.castle.load.Node;

/** The relative pointers of every key written under an entry, and the text of its scalars, for {@link Declared}. */
final class DeclaredKeys {
    private DeclaredKeys() {
    }

    static Set<String> of(Node entry) {
        Set<String> keys = new LinkedHashSet<>();
        walk(entry, "", keys, new LinkedHashMap<>());
        return keys;
    }

    static Declared declared(String pointer, Node entry, List<Declared.DependencyRef> dependsOn) {
        Set<String> keys = new LinkedHashSet<>();
        Map<String, String> scalars = new LinkedHashMap<>();
        walk(entry, "", keys, scalars);
        return new Declared(pointer, keys, scalars, dependsOn);
    }

    private static void walk(Node node, String prefix, Set<String> keys, Map<String, String> scalars) {
        if (node instanceof Node.MapNode map) {
            for (Map.Entry<String, Node.Entry> e : map.entries().entrySet()) {
                visit(e.getValue().value(), prefix + Node.escapePointerToken(e.getKey()), keys, scalars);
            }
        } else if (node instanceof Node.ListNode list) {
            for (int i = 0; i < list.items().size(); i++) {
                visit(list.items().get(i), prefix + i, keys, scalars);
            }
        }
    }

    private static void visit(Node value, String key, Set<String> keys, Map<String, String> scalars) {
        if (value instanceof Node.ScalarNode s) {
            if (!s.isNull()) {
                keys.add(key);
                scalars.put(key, s.text());
            }
            return;
        }
        keys.add(key);
        walk(value, key + "/", keys, scalars);
    }
}
