package dev.castle.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A chart's values as one source for three outputs: values.yaml (with a {@code ## @param} line
 * per value), values.schema.json (a type per value, unknown keys refused) and the README's
 * parameter table.
 */
public final class ChartValues {
    /** One documented value; path is dotted from the top of values.yaml. */
    public record Param(String path, String description, Map<String, Object> schema, Object value) {
    }

    /** A titled group of top-level keys, in order. */
    public record Section(String title, List<String> keys) {
    }

    private final Map<String, Object> tree = new LinkedHashMap<>();
    private final List<Param> params = new ArrayList<>();
    /** The params by the top-level key of their path, in order. */
    private final Map<String, List<Param>> byTop = new LinkedHashMap<>();
    private final List<Section> sections = new ArrayList<>();
    private final Map<String, Map<String, Object>> openObjects = new LinkedHashMap<>();

    public ChartValues section(String title) {
        sections.add(new Section(title, new ArrayList<>()));
        return this;
    }

    public ChartValues param(String path, Object value, String description, Map<String, Object> schema) {
        requirePlain(path, value);
        Param added = new Param(path, description, schema, value);
        params.add(added);
        String[] parts = path.split("\\.");
        Map<String, Object> node = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            @SuppressWarnings("unchecked")
            Map<String, Object> child = (Map<String, Object>) node.computeIfAbsent(parts[i], k -> new LinkedHashMap<>());
            node = child;
        }
        node.put(parts[parts.length - 1], value);
        String top = parts[0];
        Section current = sections.get(sections.size() - 1);
        // A top-level key belongs to the section it first appears in (an index: 1,000 services make 2,000 params).
        byTop.computeIfAbsent(top, k -> {
            current.keys().add(top);
            return new ArrayList<>();
        }).add(added);
        return this;
    }

    /** Values are YAML's own types only: a model type (an enum, a record) reaching values.yaml is a bug of castle. */
    private static void requirePlain(String path, Object value) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> requirePlain(path + "." + key, item));
        } else if (value instanceof List<?> list) {
            list.forEach(item -> requirePlain(path + "[]", item));
        } else if (value != null && !(value instanceof String || value instanceof Number || value instanceof Boolean)) {
            throw new IllegalStateException("value " + path + " is a " + value.getClass().getName() + ", not a YAML scalar");
        }
    }

    /** Marks an intermediate object (such as {@code config}) as open to keys castle does not list. */
    public ChartValues openObject(String path) {
        openObjects.put(path, Map.of());
        return this;
    }

    public Map<String, Object> tree() {
        return tree;
    }

    public List<Param> params() {
        return List.copyOf(params);
    }

    public List<Section> sections() {
        return List.copyOf(sections);
    }

    /** Params whose path starts with the given top-level key. */
    public List<Param> paramsUnder(String top) {
        return List.copyOf(byTop.getOrDefault(top, List.of()));
    }

    /** JSON Schema (draft-07, as Helm validates) of these values; objects castle defines refuse unknown keys. */
    public Map<String, Object> jsonSchema(String title, Map<String, Map<String, Object>> extraTopLevel) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("$schema", "http://json-schema.org/draft-07/schema#");
        root.put("title", title);
        root.putAll(objectSchema());
        for (Param param : params) {
            String[] parts = param.path().split("\\.");
            Map<String, Object> node = root;
            StringBuilder path = new StringBuilder();
            for (int i = 0; i < parts.length - 1; i++) {
                path.append(i == 0 ? "" : ".").append(parts[i]);
                node = child(node, parts[i]);
                if (openObjects.containsKey(path.toString())) {
                    node.remove("additionalProperties");
                }
            }
            properties(node).put(parts[parts.length - 1], dev.castle.text.Ordered.tree(param.schema()));
        }
        new java.util.TreeMap<>(extraTopLevel).forEach((key, schema) -> properties(root).put(key, schema));
        return root;
    }

    /**
     * The schema of a subchart's own values.schema.json: its top-level keys and their types, so that
     * a misspelt key fails even when the chart renders alone; the whole schema is a definition of the
     * parent chart's (see {@link #definition}), which Helm checks against the merged values.
     */
    public Map<String, Object> topLevelSchema(String title, Map<String, Map<String, Object>> extraTopLevel) {
        Map<String, Object> full = jsonSchema(title, extraTopLevel);
        Map<String, Object> properties = new LinkedHashMap<>();
        properties(full).forEach((key, schema) -> {
            Object type = ((Map<?, ?>) schema).get("type");
            properties.put(key, type == null ? new LinkedHashMap<>() : new LinkedHashMap<>(Map.of("type", type)));
        });
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("$schema", full.get("$schema"));
        root.put("title", title);
        root.put("description", "Top-level keys of the chart's values; the parent chart's values.schema.json types every value");
        root.put("type", "object");
        root.put("additionalProperties", false);
        root.put("properties", properties);
        return root;
    }

    /** The whole schema of these values, for the parent chart's definitions. */
    public Map<String, Object> definition(Map<String, Map<String, Object>> extraTopLevel) {
        Map<String, Object> full = jsonSchema("", extraTopLevel);
        full.remove("$schema");
        full.remove("title");
        return full;
    }

    /**
     * What {@link #definition} is made of, compared cheaply: each param's path and its schema by
     * identity (equal schemas are one instance once {@link #shareSchemas} ran), the open objects and
     * the extra keys by identity. Equal keys make equal definitions, so the parent's schema builds and
     * compares the definition of a thousand alike services once, not a thousand times.
     */
    Object definitionKey(Map<String, Map<String, Object>> extraTopLevel) {
        List<Object> key = new ArrayList<>(2 * params.size() + 2);
        for (Param param : params) {
            key.add(param.path());
            key.add(new Same(param.schema()));
        }
        key.add(java.util.Set.copyOf(openObjects.keySet()));
        key.add(new Same(extraTopLevel));
        return key;
    }

    /** An object compared by identity. */
    private record Same(Object value) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Same same && same.value == value;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(value);
        }
    }

    /**
     * The params' schemas, each replaced by an equal one already in {@code shared} (equal in content and
     * order): a thousand charts hold the same few hundred schemas, which were half a million maps kept
     * until the plan was rendered. Shared schemas are only read: {@link #jsonSchema} writes copies of them.
     */
    ChartValues shareSchemas(Map<Object, Map<String, Object>> shared) {
        for (int i = 0; i < params.size(); i++) {
            Param param = params.get(i);
            Map<String, Object> schema = shared.computeIfAbsent(dev.castle.text.Ordered.shape(param.schema()), k -> param.schema());
            if (schema != param.schema()) {
                params.set(i, new Param(param.path(), param.description(), schema, param.value()));
            }
        }
        byTop.replaceAll((top, list) -> new ArrayList<>());
        for (Param param : params) {
            byTop.get(param.path().split("\\.", 2)[0]).add(param);
        }
        return this;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> child(Map<String, Object> node, String key) {
        return (Map<String, Object>) properties(node).computeIfAbsent(key, k -> objectSchema());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> properties(Map<String, Object> node) {
        return (Map<String, Object>) node.computeIfAbsent("properties", k -> new LinkedHashMap<>());
    }

    private static Map<String, Object> objectSchema() {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("additionalProperties", false);
        return schema;
    }
}
