package dev.castle.publish;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Sets a few text fields of a Chart.yaml ({@code version}, {@code appVersion}, an annotation) in a
 * copy of the chart and leaves every other node as written: Helm then reads and re-writes the whole
 * file as {@code helm package --version} would.
 */
final class ChartYamlEdit {
    /** Helm's loader refuses larger files (MaxDecompressedFileSize). */
    private static final long HELM_MAX_FILE = 5L * 1024 * 1024;

    private ChartYamlEdit() {
    }

    static void apply(Path chartYaml, Map<String, String> fields, Map<String, String> annotations) throws PublishException {
        if (fields.isEmpty() && annotations.isEmpty()) {
            return;
        }
        try {
            if (Files.size(chartYaml) > HELM_MAX_FILE) {
                throw new PublishException(chartYaml + " is larger than the 5 MiB Helm loads of a file");
            }
        } catch (IOException e) {
            throw new PublishException("cannot read " + chartYaml + ": " + PublishException.reason(e));
        }
        Node root = YamlText.compose(YamlText.read(chartYaml), chartYaml.toString());
        if (!(root instanceof MappingNode chart)) {
            throw new PublishException(chartYaml + " is not a YAML mapping");
        }
        fields.forEach((key, value) -> put(chart, key, text(value)));
        if (!annotations.isEmpty()) {
            Node existing = get(chart, "annotations");
            MappingNode map = existing instanceof MappingNode m ? m
                    : new MappingNode(Tag.MAP, new ArrayList<>(), DumperOptions.FlowStyle.BLOCK);
            annotations.forEach((key, value) -> put(map, key, text(value)));
            put(chart, "annotations", map);
        }
        try {
            Files.writeString(chartYaml, YamlText.serialize(chart), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PublishException("cannot write " + chartYaml + ": " + PublishException.reason(e));
        }
    }

    private static Node get(MappingNode map, String key) {
        int i = indexOf(map, key);
        return i < 0 ? null : map.getValue().get(i).getValueNode();
    }

    private static void put(MappingNode map, String key, Node value) {
        int i = indexOf(map, key);
        NodeTuple tuple = new NodeTuple(new ScalarNode(Tag.STR, key, null, null, DumperOptions.ScalarStyle.PLAIN), value);
        if (i < 0) {
            map.getValue().add(tuple);
        } else {
            map.getValue().set(i, tuple);
        }
    }

    private static int indexOf(MappingNode map, String key) {
        List<NodeTuple> tuples = map.getValue();
        for (int i = 0; i < tuples.size(); i++) {
            if (tuples.get(i).getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                return i;
            }
        }
        return -1;
    }

    private static ScalarNode text(String value) {
        return new ScalarNode(Tag.STR, value, null, null, DumperOptions.ScalarStyle.DOUBLE_QUOTED);
    }
}
