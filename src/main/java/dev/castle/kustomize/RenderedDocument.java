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
        return chartOf(system, source);
    }

    /** The chart folder a path of the parent chart {@code system} lies in: a subchart's name, or the parent's. */
    static String chartOf(String system, String path) {
        String prefix = system + "/charts/";
        if (path.startsWith(prefix)) {
            String rest = path.substring(prefix.length());
            int slash = rest.indexOf('/');
            return slash < 0 ? rest : rest.substring(0, slash);
        }
        return system;
    }

    /** Helm's text of one document, before it is parsed. */
    private record Piece(String source, String text) {
    }

    /** A parser per thread: SnakeYAML's are not thread-safe, and making one per document costs more than parsing it. */
    private static final ThreadLocal<Yaml> PARSER = ThreadLocal.withInitial(() -> {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        return new Yaml(options);
    });

    /**
     * Splits {@code helm template} output into documents, dropping empty ones, in Helm's order. The
     * documents are parsed on every core: parsing was a tenth of a generate of 1,000 services (6,000
     * documents, 10 MB), after Helm's render and before anything else could start.
     */
    static List<RenderedDocument> split(String output) {
        List<Piece> pieces = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        String source = "";
        for (String line : (output + "\n---\n").split("\n", -1)) {
            if (line.equals("---")) {
                String text = current.toString();
                if (!text.isBlank()) {
                    pieces.add(new Piece(source, text));
                }
                current.setLength(0);
                source = "";
            } else if (line.startsWith("# Source: ") && current.toString().isBlank()) {
                source = line.substring("# Source: ".length()).strip();
            } else {
                current.append(line).append('\n');
            }
        }
        return pieces.parallelStream().map(RenderedDocument::parse).filter(java.util.Objects::nonNull).toList();
    }

    /** The document of a piece, or null when it is not a mapping. */
    @SuppressWarnings("unchecked")
    private static RenderedDocument parse(Piece piece) {
        Object parsed = PARSER.get().load(piece.text());
        return parsed instanceof Map<?, ?> map ? new RenderedDocument(piece.source(), piece.text().strip() + "\n", (Map<String, Object>) map) : null;
    }
}
