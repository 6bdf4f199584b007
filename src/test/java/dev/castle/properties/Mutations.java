package dev.castle.properties;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Changes to a descriptor tree, each a small step a user (clumsy or hostile) could take: a field
 * added or regenerated from the schema, an entry deleted, cloned under a colliding name or
 * renamed, a value replaced by an awkward one (boundaries, overflow, a lone surrogate, paths out
 * of the folder, long names) or by one of another shape. Values that YAML's emitter would quote
 * are written raw through a marker replaced in the text.
 */
final class Mutations {
    private static final List<String> RAW_TEXTS = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static final Pattern RAW_MARKER = Pattern.compile("'?@@raw(\\d+)@@'?");
    static final List<Object> AWKWARD = List.of("", " ", 0, -1, 1, 3, 2147483648L, Long.MAX_VALUE, true, "yes", "~",
            raw("1e400"), raw("-0"), raw(".inf"), raw(".nan"), raw("0x1F"), raw("0o17"), raw("\"\\ud800\""), raw("\"a\\u0000b\""),
            raw("null"), "a b", "UPPER", "-lead", "trail-", "x".repeat(54), "x".repeat(64), "x".repeat(254),
            "{{ .Release.Name }}", "../../../../etc/passwd", "/etc/passwd", "/proc/self/status", "/", "/tmp", "/data/", "..",
            ".", "..data", "ünïcödé", "line\nbreak", "100%", "101%", "-5%", "* * * * * *", "61 25 * * *", "Mars/Olympus",
            "10.0.0.0/33", "latest", "nginx", "nginx:latest", "ghcr.io/a/b@sha256:" + "a".repeat(64),
            "ghcr.io/a/b:" + "t".repeat(129), "oci://host:99999/charts", "http://charts.example.com", "kustomize",
            "default", "kube-system", "web-canary", "db-headless", "1Ei", "99999999999Gi", "0.0001m", raw("1e19"),
            "10.0.0.1", "::1", "/a b", "X Y", "SYS_ADMIN", "Unconfined", "Exists", "NoExecute", "default-deny", "hook", "test",
            "tls", "primary", "/etc/../tmp", "@every 1h", "* * * * 7", "UDP", "SCTP");

    private final Random random;
    private final SchemaValues schema;

    Mutations(Random random, SchemaValues schema) {
        this.random = random;
        this.schema = schema;
    }

    /** A value written into the YAML text as is (a plain 1e400, an escape YAML decodes to a lone surrogate). */
    static synchronized String raw(String text) {
        int index = RAW_TEXTS.indexOf(text);
        if (index < 0) {
            RAW_TEXTS.add(text);
            index = RAW_TEXTS.size() - 1;
        }
        return "@@raw" + index + "@@";
    }

    /** Applies one random change to {@code tree} and says what it did. */
    String mutate(Map<String, Object> tree) {
        int kind = random.nextInt(14);
        List<List<Object>> maps = places(tree, true);
        List<List<Object>> entries = places(tree, false);
        if (kind < 5 && !maps.isEmpty()) {
            for (int attempt = 0; attempt < 10; attempt++) {
                List<Object> at = maps.get(random.nextInt(maps.size()));
                Map<String, Object> map = map(tree, at);
                Optional<JsonNode> objectSchema = schema.schemaAt(at);
                if (objectSchema.isEmpty()) {
                    continue;
                }
                Optional<String> key = schema.newKey(objectSchema.get(), map);
                if (key.isPresent()) {
                    List<Object> path = append(at, key.get());
                    Object value = schema.schemaAt(path).map(s -> schema.value(s, 3)).orElse("x");
                    map.put(key.get(), value);
                    return "set " + pointer(path) + " = " + value;
                }
            }
        }
        if (entries.isEmpty()) {
            return "nothing to change";
        }
        List<Object> at = entries.get(random.nextInt(entries.size()));
        Object parent = get(tree, at.subList(0, at.size() - 1));
        Object last = at.get(at.size() - 1);
        if (kind < 7) {
            Optional<JsonNode> valueSchema = schema.schemaAt(at);
            if (valueSchema.isPresent()) {
                Object value = schema.value(valueSchema.get(), 3);
                set(parent, last, value);
                return "regenerate " + pointer(at) + " = " + value;
            }
        }
        if (kind < 9) {
            remove(parent, last);
            return "delete " + pointer(at);
        }
        if (kind < 11) {
            Object value = AWKWARD.get(random.nextInt(AWKWARD.size()));
            set(parent, last, value);
            return "awkward " + pointer(at) + " = " + shown(value);
        }
        if (kind == 11) {
            Object current = get(tree, at);
            Object value = current instanceof Map ? "x" : current instanceof List ? new LinkedHashMap<>(Map.of("a", 1))
                    : random.nextBoolean() ? new ArrayList<>(List.of("x")) : new LinkedHashMap<>(Map.of("x", 1));
            set(parent, last, value);
            return "reshape " + pointer(at) + " = " + value;
        }
        if (parent instanceof Map<?, ?> && last instanceof String key) {
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) parent;
            String name = random.nextBoolean() ? key + (random.nextBoolean() ? "-canary" : "-headless")
                    : SchemaValues.NAMES.get(random.nextInt(SchemaValues.NAMES.size()));
            if (kind == 12) {
                map.put(name, copy(map.get(key)));
                return "clone " + pointer(at) + " as " + name;
            }
            Object value = map.remove(key);
            map.put(name, value);
            return "rename " + pointer(at) + " to " + name;
        }
        remove(parent, last);
        return "delete " + pointer(at);
    }

    /** A value as the YAML text will hold it (raw markers replaced). */
    static String shown(Object value) {
        String text = String.valueOf(value);
        Matcher raw = RAW_MARKER.matcher(text);
        return raw.replaceAll(match -> Matcher.quoteReplacement(RAW_TEXTS.get(Integer.parseInt(match.group(1)))));
    }

    /** Paths of every map (when {@code maps}) or of every entry and item of the tree. */
    private static List<List<Object>> places(Object node, boolean maps) {
        List<List<Object>> places = new ArrayList<>();
        collect(node, new ArrayList<>(), maps, places);
        return places;
    }

    private static void collect(Object node, List<Object> path, boolean maps, List<List<Object>> places) {
        if (node instanceof Map<?, ?> map) {
            if (maps) {
                places.add(List.copyOf(path));
            }
            for (Object key : new ArrayList<>(map.keySet())) {
                List<Object> child = append(path, key);
                if (!maps) {
                    places.add(child);
                }
                collect(map.get(key), child, maps, places);
            }
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                List<Object> child = append(path, i);
                if (!maps) {
                    places.add(child);
                }
                collect(list.get(i), child, maps, places);
            }
        }
    }

    static List<Object> append(List<Object> path, Object step) {
        List<Object> longer = new ArrayList<>(path);
        longer.add(step);
        return longer;
    }

    /** The node at the path, or null when the path leads nowhere (any more). */
    static Object get(Object node, List<Object> path) {
        for (Object step : path) {
            if (node instanceof Map<?, ?> map) {
                node = map.get(step);
            } else if (node instanceof List<?> list && step instanceof Integer i && i < list.size()) {
                node = list.get(i);
            } else {
                return null;
            }
        }
        return node;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object tree, List<Object> path) {
        return (Map<String, Object>) get(tree, path);
    }

    @SuppressWarnings("unchecked")
    private static void set(Object parent, Object key, Object value) {
        if (parent instanceof Map<?, ?>) {
            ((Map<Object, Object>) parent).put(key, value);
        } else {
            ((List<Object>) parent).set((Integer) key, value);
        }
    }

    static void remove(Object parent, Object key) {
        if (parent instanceof Map<?, ?> map) {
            map.remove(key);
        } else {
            ((List<?>) parent).remove((int) (Integer) key);
        }
    }

    static String pointer(List<Object> path) {
        StringBuilder text = new StringBuilder();
        path.forEach(step -> text.append('/').append(step));
        return text.length() == 0 ? "/" : text.toString();
    }

    @SuppressWarnings("unchecked")
    static <T> T copy(T node) {
        if (node instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k, copy(v)));
            return (T) copy;
        }
        if (node instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(copy(v)));
            return (T) copy;
        }
        return node;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Object tree = new Yaml(new SafeConstructor(options)).load(text);
        return tree instanceof Map<?, ?> ? (Map<String, Object>) tree : null;
    }

    /** The tree as YAML text, with the raw markers replaced by their text. */
    static String dump(Map<String, Object> tree) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setWidth(200);
        String text = new Yaml(options).dump(tree);
        Matcher raw = RAW_MARKER.matcher(text);
        return raw.replaceAll(match -> Matcher.quoteReplacement(RAW_TEXTS.get(Integer.parseInt(match.group(1)))));
    }
}
