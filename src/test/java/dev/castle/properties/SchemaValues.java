package dev.castle.properties;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Values drawn from castle's own descriptor schema: finds the schema of any place of a descriptor
 * tree, and makes up a value for it (an enum member, a number at or beside its bounds, a string
 * from a pool that matches the pattern when one does, an object with its required properties and
 * a few others), so that generated descriptors mostly pass the schema and reach the later stages.
 */
final class SchemaValues {
    /** Strings tried against a pattern; the first few matches are the likely ones. */
    static final List<String> STRINGS = List.of("web", "api", "db", "cache", "http", "grpc", "metrics", "8080", "9090",
            "/healthz", "/", "/api", "/data", "100m", "250m", "1", "128Mi", "1Gi", "10Gi", "50%", "25%", "1",
            "ghcr.io/acme/web:1.2.3", "nginxinc/nginx-unprivileged:1.27.3", "redis:7.4", "1.2.3", "16", "7.4",
            "0 3 * * *", "*/5 * * * *", "Europe/Paris", "UTC", "10.0.0.0/8", "192.168.1.1", "example.com", "shop.example.com",
            "info", "value", "LOG_LEVEL", "app.conf", "files/app.conf", "config/app.yaml", "key", "token", "web-secret",
            "30s", "1m", "5m", "ClusterIP", "TCP", "ReadWriteOnce", "NoSchedule", "Exists", "node-role", "zone",
            "topology.kubernetes.io/zone", "metadata.name", "limits.cpu", "sh", "-c", "echo ok", "a b", "UPPER",
            "x".repeat(40), "x".repeat(64), "ünï", "{{ .Release.Name }}", "");
    static final List<String> NAMES = List.of("web", "api", "worker", "db", "cache", "queue", "a", "web-canary",
            "db-headless", "frontend", "payments", "x".repeat(30), "x".repeat(50), "kustomize", "default", "prod", "dev");

    private final JsonNode root;
    private final Random random;

    SchemaValues(Path schemaFile, Random random) {
        try {
            this.root = new ObjectMapper().readTree(schemaFile.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.random = random;
    }

    /** The schema of the place {@code path} (map keys and list indices) of a descriptor, if the schema says. */
    Optional<JsonNode> schemaAt(List<Object> path) {
        JsonNode schema = resolve(root);
        for (Object step : path) {
            schema = resolve(pick(schema, step));
            if (schema == null) {
                return Optional.empty();
            }
        }
        return Optional.of(schema);
    }

    private JsonNode pick(JsonNode schema, Object step) {
        if (schema == null) {
            return null;
        }
        if (schema.has("oneOf")) {
            for (JsonNode branch : schema.get("oneOf")) {
                JsonNode found = pick(resolve(branch), step);
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
        if (step instanceof Integer) {
            return schema.get("items");
        }
        JsonNode properties = schema.get("properties");
        if (properties != null && properties.has((String) step)) {
            return properties.get((String) step);
        }
        JsonNode additional = schema.get("additionalProperties");
        return additional != null && additional.isObject() ? additional : null;
    }

    private JsonNode resolve(JsonNode schema) {
        while (schema != null && schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            schema = root.at(ref.substring(1));
        }
        return schema;
    }

    /** A key that may be added to an object of this schema: a property not yet there, or a new map key. */
    Optional<String> newKey(JsonNode schema, Map<String, Object> existing) {
        schema = resolve(schema);
        if (schema.has("oneOf")) {
            List<JsonNode> objects = new ArrayList<>();
            schema.get("oneOf").forEach(b -> {
                if ("object".equals(resolve(b).path("type").asText())) {
                    objects.add(resolve(b));
                }
            });
            return objects.isEmpty() ? Optional.empty() : newKey(objects.get(random.nextInt(objects.size())), existing);
        }
        List<String> candidates = new ArrayList<>();
        JsonNode properties = schema.get("properties");
        if (properties != null) {
            properties.fieldNames().forEachRemaining(name -> {
                if (!existing.containsKey(name)) {
                    candidates.add(name);
                }
            });
        }
        if (schema.path("additionalProperties").isObject() && (candidates.isEmpty() || random.nextInt(3) == 0)) {
            return Optional.of(name(schema.get("propertyNames")));
        }
        return candidates.isEmpty() ? Optional.empty() : Optional.of(candidates.get(random.nextInt(candidates.size())));
    }

    /** A made-up value for the schema, at most {@code depth} levels deep. */
    Object value(JsonNode schema, int depth) {
        schema = resolve(schema);
        if (schema == null || schema.isMissingNode()) {
            return "x";
        }
        if (schema.has("const")) {
            return plain(schema.get("const"));
        }
        if (schema.has("enum")) {
            JsonNode values = schema.get("enum");
            return plain(values.get(random.nextInt(values.size())));
        }
        if (schema.has("oneOf")) {
            JsonNode branches = schema.get("oneOf");
            return value(branches.get(random.nextInt(branches.size())), depth);
        }
        String type = schema.has("type") ? (schema.get("type").isArray()
                ? schema.get("type").get(random.nextInt(schema.get("type").size())).asText() : schema.get("type").asText()) : "string";
        switch (type) {
            case "boolean":
                return random.nextBoolean();
            case "integer":
                return integer(schema);
            case "number":
                return random.nextInt(4) == 0 ? 0.5 : integer(schema);
            case "array":
                List<Object> items = new ArrayList<>();
                int count = depth <= 0 ? 0 : random.nextInt(3) + schema.path("minItems").asInt(0);
                for (int i = 0; i < count; i++) {
                    items.add(value(schema.get("items"), depth - 1));
                }
                return items;
            case "object":
                return object(schema, depth);
            case "null":
                return null;
            default:
                return string(schema);
        }
    }

    private Map<String, Object> object(JsonNode schema, int depth) {
        Map<String, Object> object = new LinkedHashMap<>();
        if (depth <= 0) {
            return object;
        }
        JsonNode properties = schema.path("properties");
        for (JsonNode required : schema.path("required")) {
            object.put(required.asText(), value(properties.get(required.asText()), depth - 1));
        }
        int extra = random.nextInt(3);
        for (int i = 0; i < extra; i++) {
            newKey(schema, object).ifPresent(key -> object.put(key, value(childSchema(schema, key), depth - 1)));
        }
        return object;
    }

    private JsonNode childSchema(JsonNode schema, String key) {
        JsonNode properties = schema.path("properties");
        return properties.has(key) ? properties.get(key) : schema.get("additionalProperties");
    }

    private Object integer(JsonNode schema) {
        long min = schema.has("minimum") ? schema.get("minimum").asLong() : 0;
        long max = schema.has("maximum") ? schema.get("maximum").asLong() : Math.max(min + 10, 100);
        long[] candidates = {min, max, min + 1, (min + max) / 2, min + random.nextInt(3), min - 1, max + 1};
        long value = candidates[random.nextInt(random.nextInt(4) == 0 ? candidates.length : 5)];
        return value > Integer.MAX_VALUE || value < Integer.MIN_VALUE ? (Object) value : (Object) (int) value;
    }

    private String string(JsonNode schema) {
        String name = schema.has("pattern") ? schema.get("pattern").asText() : null;
        Pattern pattern = null;
        if (name != null) {
            try {
                pattern = Pattern.compile(name);
            } catch (PatternSyntaxException e) {
                pattern = null;
            }
        }
        List<String> matching = new ArrayList<>();
        for (String candidate : STRINGS) {
            if (pattern == null || pattern.matcher(candidate).find()) {
                matching.add(candidate);
            }
        }
        if (matching.isEmpty() || random.nextInt(10) == 0) {
            return STRINGS.get(random.nextInt(STRINGS.size()));
        }
        return matching.get(random.nextInt(Math.min(matching.size(), 1 + random.nextInt(8))));
    }

    /** A map key, matching the schema of the keys when there is one. */
    String name(JsonNode keySchema) {
        JsonNode resolved = resolve(keySchema);
        if (resolved != null && resolved.has("pattern") && random.nextInt(5) != 0) {
            Pattern pattern = Pattern.compile(resolved.get("pattern").asText());
            List<String> matching = new ArrayList<>();
            for (String candidate : NAMES) {
                if (pattern.matcher(candidate).find()) {
                    matching.add(candidate);
                }
            }
            for (String candidate : STRINGS) {
                if (matching.size() < 30 && pattern.matcher(candidate).find()) {
                    matching.add(candidate);
                }
            }
            if (!matching.isEmpty()) {
                return matching.get(random.nextInt(matching.size()));
            }
        }
        return NAMES.get(random.nextInt(NAMES.size()));
    }

    private static Object plain(JsonNode node) {
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        if (node.isIntegralNumber()) {
            return node.asLong() > Integer.MAX_VALUE ? (Object) node.asLong() : (Object) node.asInt();
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isNull()) {
            return null;
        }
        Map<String, Object> object = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            object.put(field.getKey(), plain(field.getValue()));
        }
        return object;
    }
}
