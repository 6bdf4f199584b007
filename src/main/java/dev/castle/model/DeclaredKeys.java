package dev.castle.model;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.castle.load.Node;

/** The relative pointers of every key written under an entry, for {@link Declared}. */
final class DeclaredKeys {
    private DeclaredKeys() {
    }

    static Set<String> of(Node entry) {
        Set<String> keys = new LinkedHashSet<>();
        walk(entry, "", keys);
        return keys;
    }

    static Declared declared(String pointer, Node entry, List<Declared.DependencyRef> dependsOn) {
        return new Declared(pointer, of(entry), dependsOn);
    }

    private static void walk(Node node, String prefix, Set<String> keys) {
        if (node instanceof Node.MapNode map) {
            for (Map.Entry<String, Node.Entry> e : map.entries().entrySet()) {
                String key = prefix + Node.escapePointerToken(e.getKey());
                if (!(e.getValue().value() instanceof Node.ScalarNode s && s.isNull())) {
                    keys.add(key);
                }
                walk(e.getValue().value(), key + "/", keys);
            }
        } else if (node instanceof Node.ListNode list) {
            for (int i = 0; i < list.items().size(); i++) {
                keys.add(prefix + i);
                walk(list.items().get(i), prefix + i + "/", keys);
            }
        }
    }
}
