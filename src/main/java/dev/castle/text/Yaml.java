package dev.castle.text;

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
    private static final org.yaml.snakeyaml.Yaml EMITTER = create();

    private Yaml() {
    }

    /** A block-style YAML document of the given map or list, ending in a newline. */
    public static String dump(Object tree) {
        return EMITTER.dump(Ordered.tree(tree));
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
