package dev.castle.publish;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * The YAML files publishing reads and writes (Chart.yaml, index.yaml), which may come from anyone:
 * read only as regular files of at most {@value #MAX_BYTES} bytes of UTF-8, with bounded aliases and
 * depth; scalars other than booleans and null are kept as the text written (a time stays the text
 * Helm wrote, {@code 1.10} stays {@code 1.10}). Written in block style; strings that would read as
 * another type are quoted.
 */
final class YamlText {
    static final int MAX_BYTES = 64 * 1024 * 1024;

    private YamlText() {
    }

    /** The text of a regular file, refused when it is something else, too large or not UTF-8. */
    static String read(Path file) throws PublishException {
        if (!Files.isRegularFile(file)) {
            throw new PublishException(file + " is not a regular file");
        }
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new PublishException(file + " is larger than " + MAX_BYTES / (1024 * 1024) + " MiB");
            }
            return utf8(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw new PublishException("cannot read " + file + ": " + PublishException.reason(e));
        }
    }

    static String utf8(byte[] bytes, String where) throws PublishException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new PublishException(where + " is not UTF-8 text (a binary file?)");
        }
    }

    /** The document as maps, lists, strings, booleans and nulls. */
    static Object load(String text, String where) throws PublishException {
        try {
            return reader().load(text);
        } catch (YAMLException | IllegalArgumentException e) {
            throw new PublishException(where + " is not valid YAML: " + firstLine(e.getMessage()));
        }
    }

    /** The document as a node graph, to change a few values and write the rest as it was. */
    static Node compose(String text, String where) throws PublishException {
        try {
            Node node = reader().compose(new java.io.StringReader(text));
            if (node == null) {
                throw new PublishException(where + " is empty");
            }
            return node;
        } catch (YAMLException | IllegalArgumentException e) {
            throw new PublishException(where + " is not valid YAML: " + firstLine(e.getMessage()));
        }
    }

    static String serialize(Node node) {
        StringWriter out = new StringWriter();
        writer().serialize(node, out);
        return out.toString();
    }

    static String dump(Object tree) {
        return writer().dump(tree);
    }

    private static Yaml reader() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(20);
        options.setAllowRecursiveKeys(false);
        options.setNestingDepthLimit(64);
        options.setCodePointLimit(MAX_BYTES);
        options.setAllowDuplicateKeys(false);
        DumperOptions dumper = new DumperOptions();
        return new Yaml(new SafeConstructor(options), new Representer(dumper), dumper, options, new TextResolver());
    }

    private static Yaml writer() {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndicatorIndent(0);
        options.setSplitLines(false);
        options.setWidth(Integer.MAX_VALUE);
        return new Yaml(new Representer(options), options);
    }

    private static String firstLine(String message) {
        String text = message == null ? "" : message.strip();
        return text.lines().findFirst().orElse(text);
    }

    /** Resolves booleans, nulls and merge keys only: every other plain scalar stays text. */
    private static final class TextResolver extends Resolver {
        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(Tag.BOOL, BOOL, "yYnNtTfFoO", 10);
            addImplicitResolver(Tag.MERGE, MERGE, "<", 10);
            addImplicitResolver(Tag.NULL, NULL, "~nN\0", 10);
            addImplicitResolver(Tag.NULL, EMPTY, null, 10);
        }
    }
}
