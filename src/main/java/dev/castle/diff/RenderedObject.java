package dev.castle.diff;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;

/**
 * One Kubernetes object of a rendered chart, keyed by what identifies it in a cluster
 * (apiVersion, kind, namespace, name), as YAML text to compare. Secret values are masked: they
 * must not be printed, and generated credentials differ on every render.
 */
record RenderedObject(String key, String text) {

    /** Splits {@code helm template} output into objects, by key (a later duplicate replaces the earlier one). */
    @SuppressWarnings("unchecked")
    static Map<String, RenderedObject> split(String rendered) {
        Map<String, RenderedObject> objects = new LinkedHashMap<>();
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        for (String document : (rendered + "\n").split("(?m)^---\\s*$")) {
            Object parsed = new org.yaml.snakeyaml.Yaml(options).load(document);
            if (!(parsed instanceof Map<?, ?> map) || map.isEmpty()) {
                continue;
            }
            Map<String, Object> object = (Map<String, Object>) map;
            Map<String, Object> metadata = object.get("metadata") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
            String key = object.get("apiVersion") + " " + object.get("kind") + " "
                    + (metadata.containsKey("namespace") ? metadata.get("namespace") + "/" : "") + metadata.get("name");
            if ("Secret".equals(object.get("kind"))) {
                object = masked(object);
            }
            objects.put(key, new RenderedObject(key, dev.castle.text.Yaml.dump(object)));
        }
        return objects;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> masked(Map<String, Object> secret) {
        Map<String, Object> copy = new LinkedHashMap<>(secret);
        for (String field : List.of("data", "stringData")) {
            if (copy.get(field) instanceof Map<?, ?> values) {
                Map<String, Object> hidden = new LinkedHashMap<>();
                ((Map<String, Object>) values).keySet().forEach(k -> hidden.put(k, "(hidden)"));
                copy.put(field, hidden);
            }
        }
        return copy;
    }

    List<String> lines() {
        return new ArrayList<>(text.lines().toList());
    }
}
