package dev.castle.kustomize;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** One document of Helm's output: where it came from, its raw text and its parsed form. */
record RenderedDocument(String source, String text, Map<String, Object> object) {

    String kind() {
        return String.valueOf(object.get("kind"));
    }

    String apiVersion() {
        return String.valueOf(object.get("apiVersion"));
    }

    @SuppressWarnings("unchecked")
    String name() {
        Object metadata = object.get("metadata");
        return metadata instanceof Map<?, ?> m ? String.valueOf(((Map<String, Object>) m).get("name")) : "";
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> annotations() {
        Object metadata = object.get("metadata");
        Object annotations = metadata instanceof Map<?, ?> m ? ((Map<String, Object>) m).get("annotations") : null;
        return annotations instanceof Map<?, ?> a ? (Map<String, Object>) a : Map.of();
    }

    /** kind/name: unique within one release. */
    String key() {
        return kind() + "/" + name();
    }

    /** The chart folder the document belongs to: a subchart's name, or the parent's. */
    String chart(String system) {
        String prefix = system + "/charts/";
        if (source.startsWith(prefix)) {
            String rest = source.substring(prefix.length());
            return rest.substring(0, rest.indexOf('/'));
        }
        return system;
    }

    /** Splits {@code helm template} output into documents, dropping empty ones. */
    @SuppressWarnings("unchecked")
    static List<RenderedDocument> split(String output) {
        List<RenderedDocument> documents = new ArrayList<>();
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Yaml yaml = new Yaml(options);
        StringBuilder current = new StringBuilder();
        String source = "";
        for (String line : (output + "\n---\n").split("\n", -1)) {
            if (line.equals("---")) {
                String text = current.toString();
                if (!text.isBlank()) {
                    Object parsed = yaml.load(text);
                    if (parsed instanceof Map<?, ?> map) {
                        documents.add(new RenderedDocument(source, text.strip() + "\n", (Map<String, Object>) map));
                    }
                }
                current.setLength(0);
                source = "";
            } else if (line.startsWith("# Source: ") && current.toString().isBlank()) {
                source = line.substring("# Source: ".length()).strip();
            } else {
                current.append(line).append('\n');
            }
        }
        return documents;
    }
}
