package dev.castle.kustomize;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * One document of Helm's output: where it came from, its raw text, its head (kind, apiVersion and
 * metadata) and, parsed when first asked for, its whole form.
 */
final class RenderedDocument {
    private final String source;
    private final String text;
    private final Map<String, Object> head;
    private Map<String, Object> object;

    private RenderedDocument(String source, String text, Map<String, Object> head, Map<String, Object> object) {
        this.source = source;
        this.text = text;
        this.head = head;
        this.object = object;
    }

    String source() {
        return source;
    }

    String text() {
        return text;
    }

    /** The whole document, parsed once when first asked for (by the overlays' patches, for documents whose text changed). */
    synchronized Map<String, Object> object() {
        if (object == null) {
            object = parse(text);
        }
        return object;
    }

    String kind() {
        return String.valueOf(head.get("kind"));
    }

    String apiVersion() {
        return String.valueOf(head.get("apiVersion"));
    }

    @SuppressWarnings("unchecked")
    String name() {
        Object metadata = head.get("metadata");
        return metadata instanceof Map<?, ?> m ? String.valueOf(((Map<String, Object>) m).get("name")) : "";
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> annotations() {
        Object metadata = head.get("metadata");
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
     * documents' heads are read on every core (6,000 documents, 10 MB at 1,000 services, after
     * Helm's render and before anything else can start); see {@link #head}. With {@code whole},
     * every document is parsed whole at once, so that a document that is not valid YAML (a duplicate
     * key) is refused here, whatever part of it is wrong: for charts made with templates castle does
     * not vouch for.
     */
    static List<RenderedDocument> split(String output, boolean whole) {
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
        return pieces.parallelStream().map(piece -> parse(piece, whole)).filter(java.util.Objects::nonNull).toList();
    }

    /** The document of a piece, or null when it is not a mapping. */
    private static RenderedDocument parse(Piece piece, boolean whole) {
        String text = piece.text().strip() + "\n";
        try {
            Map<String, Object> head = whole ? null : head(text);
            if (head != null) {
                return new RenderedDocument(piece.source(), text, head, null);
            }
            Map<String, Object> object = parse(text);
            return object == null ? null : new RenderedDocument(piece.source(), text, object, object);
        } catch (YAMLException e) {
            String why = e instanceof MarkedYAMLException marked && marked.getProblem() != null
                    ? marked.getProblem() + (marked.getProblemMark() == null ? "" : ", line " + (marked.getProblemMark().getLine() + 1)
                    + " of the document") : e.getMessage();
            throw new HelmEngine.RenderFailure("Helm's output of " + piece.source() + " is not valid YAML: " + why, e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String text) {
        Object parsed = PARSER.get().load(text);
        return parsed instanceof Map<?, ?> map ? (Map<String, Object>) map : null;
    }

    private static final java.util.Set<String> HEAD_KEYS = java.util.Set.of("apiVersion", "kind", "metadata");

    /**
     * kind, apiVersion and metadata, parsed from their lines alone: a document of Helm's output is a
     * block mapping whose keys start their lines, and what belongs to a key is indented below it. Most
     * documents are never needed whole (the base's are written as Helm wrote them), and parsing every
     * document whole was a tenth of a generate of 1,000 services. Null when the text is not such a
     * mapping, the head lacks a kind or metadata or cannot be read alone: then the whole document is
     * parsed.
     */
    private static Map<String, Object> head(String text) {
        StringBuilder head = new StringBuilder();
        boolean keep = false;
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.charAt(0) == ' ' || line.charAt(0) == '#') {
                if (keep) {
                    head.append(line).append('\n');
                }
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || !Character.isLetter(line.charAt(0))) {
                return null;
            }
            keep = HEAD_KEYS.contains(line.substring(0, colon));
            if (keep) {
                head.append(line).append('\n');
            }
        }
        try {
            Map<String, Object> parsed = parse(head.toString());
            return parsed != null && parsed.get("kind") != null && parsed.get("metadata") instanceof Map<?, ?> ? parsed : null;
        } catch (YAMLException e) {
            return null; // an alias of an anchor outside the head, or an error the whole document will report
        }
    }
}
