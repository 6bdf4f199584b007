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
public final class Ordered {
    private Ordered() {
    }

    /** A deep copy of the tree whose maps are all LinkedHashMaps, in the order they are written. */
    public static Object tree(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            written(map).forEach((k, v) -> copy.put(k, tree(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(item -> copy.add(tree(item)));
            return copy;
        }
        return value;
    }

    /** The map in the order it is written: its own (LinkedHashMap, TreeMap), or else sorted by key. */
    private static Map<?, ?> written(Map<?, ?> map) {
        return map instanceof LinkedHashMap<?, ?> || map instanceof SortedMap<?, ?> ? map : new TreeMap<>(map);
    }

    /** A map's entries in the order {@link #tree} writes them: keys and values alternating. */
    record MapShape(List<Object> entries) {
    }

    /** A list's items. */
    record ListShape(List<Object> items) {
    }

    /**
     * The tree as {@link #tree} orders it, in a form whose equality sees that order: two trees with
     * equal shapes are written as the same text (a map's own equality ignores the order of its keys).
     */
    public static Object shape(Object value) {
        if (value instanceof Map<?, ?> map) {
            List<Object> entries = new ArrayList<>(2 * map.size());
            written(map).forEach((k, v) -> {
                entries.add(k);
                entries.add(shape(v));
            });
            return new MapShape(entries);
        }
        if (value instanceof List<?> list) {
            List<Object> items = new ArrayList<>(list.size());
            list.forEach(item -> items.add(shape(item)));
            return new ListShape(items);
        }
        return value;
    }
}
