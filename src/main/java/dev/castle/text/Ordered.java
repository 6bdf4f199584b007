package dev.castle.text;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Deterministic output whatever map a tree was built from: maps that keep an order
 * (LinkedHashMap, TreeMap) keep it; any other map (Map.of, HashMap) is sorted by key.
 */
final class Ordered {
    private Ordered() {
    }

    static Object tree(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = map instanceof LinkedHashMap<?, ?> || map instanceof SortedMap<?, ?>
                    ? new LinkedHashMap<>() : new TreeMap<>();
            map.forEach((k, v) -> copy.put(k, tree(v)));
            if (copy instanceof TreeMap<?, ?>) {
                return new LinkedHashMap<>(copy);
            }
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(item -> copy.add(tree(item)));
            return copy;
        }
        return value;
    }
}
