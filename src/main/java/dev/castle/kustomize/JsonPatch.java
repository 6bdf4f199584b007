package dev.castle.kustomize;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * RFC 6902 operations that turn one object into another: each top-level field, and the labels and
 * annotations of its metadata, added (RFC 6902 "add" also replaces) or removed whole. Coarse on
 * purpose: a patch replaces what changed rather than merging into it, so the result is exactly the
 * new object whatever the field's merge rules.
 */
final class JsonPatch {
    private static final Set<String> IDENTITY = Set.of("apiVersion", "kind", "metadata");

    private JsonPatch() {
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> between(Map<String, Object> before, Map<String, Object> after) {
        List<Map<String, Object>> operations = new ArrayList<>();
        Map<String, Object> oldMeta = (Map<String, Object>) before.getOrDefault("metadata", Map.of());
        Map<String, Object> newMeta = (Map<String, Object>) after.getOrDefault("metadata", Map.of());
        for (String key : List.of("labels", "annotations")) {
            compare("/metadata/" + key, oldMeta.get(key), newMeta.get(key), operations);
        }
        List<String> keys = new ArrayList<>(before.keySet());
        after.keySet().stream().filter(k -> !before.containsKey(k)).forEach(keys::add);
        for (String key : keys) {
            if (!IDENTITY.contains(key)) {
                compare("/" + key.replace("~", "~0").replace("/", "~1"), before.get(key), after.get(key), operations);
            }
        }
        return operations;
    }

    private static void compare(String path, Object before, Object after, List<Map<String, Object>> operations) {
        if (Objects.equals(before, after)) {
            return;
        }
        Map<String, Object> operation = new LinkedHashMap<>();
        if (after == null) {
            operation.put("op", "remove");
            operation.put("path", path);
        } else {
            operation.put("op", "add");
            operation.put("path", path);
            operation.put("value", after);
        }
        operations.add(operation);
    }
}
