package dev.castle.text;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Represent;
import org.yaml.snakeyaml.representer.Representer;

/**
 * The one YAML emitter for user data. Every string the user wrote reaches generated YAML through
 * here, so quoting is decided by SnakeYAML, never by string concatenation: {@code a: b}, {@code #x},
 * {@code yes}, {@code 0x1F}, {@code {{ }}}, multi-line and non-ASCII text all survive as written.
 */
public final class Yaml {
    /** One emitter per thread (SnakeYAML's is not thread-safe), for documents of ordinary size. */
    private static final ThreadLocal<org.yaml.snakeyaml.Yaml> EMITTER = ThreadLocal.withInitial(Yaml::create);
    /**
     * SnakeYAML remembers every collection of a document in a table that it clears before each dump
     * and never shrinks: once a large document (a parent chart's values of 1,000 services) went
     * through the shared emitter, every later small dump paid for clearing the large table.
     */
    private static final int LARGE = 2_000;

    private Yaml() {
    }

    /** A block-style YAML document of the given map or list, ending in a newline. */
    public static String dump(Object tree) {
        Object ordered = Ordered.tree(tree);
        return (collections(ordered, LARGE) < LARGE ? EMITTER.get() : create()).dump(ordered);
    }

    /**
     * The YAML of each top-level key of a map, as {@link #dump} writes the key alone, remembered in
     * {@code written} by key and content: the same block (a security context, probes, resources) is
     * emitted once per run however many charts hold it. Most of a large system's values repeat:
     * 61% of Train-Ticket's values text, 74% of a synthetic system's. Several threads may fill one
     * {@code written} at once when it is a concurrent map.
     */
    public static Map<String, String> blocks(Map<String, Object> tree, Map<Object, String> written) {
        Map<String, String> blocks = new LinkedHashMap<>();
        tree.forEach((key, value) -> {
            Object identity = List.of(key, Ordered.shape(value));
            String text = written.get(identity);
            if (text == null) {
                Map<String, Object> alone = new LinkedHashMap<>();
                alone.put(key, value);
                text = dump(alone);
                written.putIfAbsent(identity, text);
            }
            blocks.put(key, text);
        });
        return blocks;
    }

    /** The number of maps and lists in a tree, counted up to {@code limit}. */
    private static int collections(Object tree, int limit) {
        int count = 0;
        java.util.ArrayDeque<Object> pending = new java.util.ArrayDeque<>();
        pending.push(tree);
        while (!pending.isEmpty() && count < limit) {
            Object value = pending.pop();
            if (value instanceof java.util.Map<?, ?> map) {
                count++;
                map.values().forEach(v -> {
                    if (v instanceof java.util.Map<?, ?> || v instanceof java.util.List<?>) {
                        pending.push(v);
                    }
                });
            } else if (value instanceof java.util.List<?> list) {
                count++;
                list.forEach(v -> {
                    if (v instanceof java.util.Map<?, ?> || v instanceof java.util.List<?>) {
                        pending.push(v);
                    }
                });
            }
        }
        return count;
    }

    private static org.yaml.snakeyaml.Yaml create() {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setIndicatorIndent(2);
        options.setIndentWithIndicator(true);
        options.setWidth(Integer.MAX_VALUE);
        options.setSplitLines(false);
        options.setAllowUnicode(true);
        options.setLineBreak(DumperOptions.LineBreak.UNIX);
        options.setExplicitStart(false);
        Representer representer = new LiteralMultilineRepresenter(options);
        return new org.yaml.snakeyaml.Yaml(representer, options);
    }

    /**
     * Strings that some YAML parser on the way (SnakeYAML's YAML 1.1, Go's YAML 1.1 and 1.2 readers
     * in Helm and kubectl) could read as a number, boolean, null or timestamp. SnakeYAML quotes
     * what YAML 1.1 resolves; this adds the YAML 1.2 forms ({@code 0o17}) and every lookalike.
     */
    private static final java.util.regex.Pattern AMBIGUOUS = java.util.regex.Pattern.compile(
            "^(?:[-+]?(?:0[xob][0-9a-fA-F_]+|[0-9][0-9_]*(?::[0-9_]+)*(?:\\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?"
                    + "|\\.[0-9_]+(?:[eE][-+]?[0-9]+)?|\\.(?:inf|Inf|INF))|\\.(?:nan|NaN|NAN)"
                    + "|[yY]|[nN]|(?i:yes|no|true|false|on|off|null)|~|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*)$");

    /** Multi-line strings as literal blocks ({@code |}), which read like the file they came from. */
    private static final class LiteralMultilineRepresenter extends Representer {
        LiteralMultilineRepresenter(DumperOptions options) {
            super(options);
            Represent plain = representers.get(String.class);
            representers.put(String.class, data -> {
                String text = (String) data;
                if (text.contains("\n")) {
                    return representScalar(Tag.STR, text, DumperOptions.ScalarStyle.LITERAL);
                }
                if (AMBIGUOUS.matcher(text).matches()) {
                    return representScalar(Tag.STR, text, DumperOptions.ScalarStyle.DOUBLE_QUOTED);
                }
                return plain.representData(data);
            });
        }
    }
}
