package dev.castle.publish;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads YAML into plain maps, lists and scalars the way Helm's YAML library does: SnakeYAML parses,
 * and plain scalars are resolved with go-yaml v2's rules ({@link GoScalars#resolve}), so {@code y}
 * is a boolean, {@code 0o17} an integer and a timestamp stays text, as in Helm. Quoted and block
 * scalars are strings. Of several documents the first counts; a repeated key keeps its last value.
 */
final class GoYamlReader {
    private GoYamlReader() {
    }

    /** The first document of the text as a tree, or {@code null} for an empty document. */
    static Object read(String text) throws PublishException {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(50);
        options.setCodePointLimit(64 * 1024 * 1024);
        options.setNestingDepthLimit(64);
        try {
            for (Node node : new Yaml(options).composeAll(new StringReader(text))) {
                return node == null ? null : convert(node);
            }
            return null;
        } catch (YAMLException e) {
            throw new PublishException("not valid YAML: " + e.getMessage().strip());
        }
    }

    /** The first document of the text as a map (an empty document is an empty map). */
    static Map<String, Object> readMap(String text, String what) throws PublishException {
        Object tree;
        try {
            tree = read(text);
        } catch (PublishException e) {
            throw new PublishException(what + " is " + e.getMessage());
        }
        if (tree == null) {
            return new LinkedHashMap<>();
        }
        if (!(tree instanceof Map<?, ?>)) {
            throw new PublishException(what + " is not a YAML mapping");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) tree;
        return map;
    }

    private static Object convert(Node node) throws PublishException {
        if (node instanceof ScalarNode scalar) {
            if (scalar.getScalarStyle() != DumperOptions.ScalarStyle.PLAIN) {
                return scalar.getValue();
            }
            Object value = GoScalars.resolve(scalar.getValue());
            return value == GoScalars.TIMESTAMP ? scalar.getValue() : value;
        }
        if (node instanceof SequenceNode sequence) {
            List<Object> list = new ArrayList<>();
            for (Node item : sequence.getValue()) {
                list.add(convert(item));
            }
            return list;
        }
        MappingNode mapping = (MappingNode) node;
        Map<String, Object> map = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Object key = convert(tuple.getKeyNode());
            if (key instanceof Map<?, ?> || key instanceof List<?>) {
                throw new PublishException("a mapping key is not a scalar (line " + (tuple.getKeyNode().getStartMark().getLine() + 1) + ")");
            }
            map.put(key == null ? "null" : key instanceof Double d ? GoScalars.formatFloat(d, false) : key.toString(),
                    convert(tuple.getValueNode()));
        }
        return map;
    }
}
