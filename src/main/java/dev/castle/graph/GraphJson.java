package dev.castle.graph;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The graph as JSON for other tools: {@code {system, nodes: [{name, kind, detail}], edges: [...]}}. */
public final class GraphJson {
    private GraphJson() {
    }

    public static String render(SystemGraph graph) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("system", graph.system());
        List<Map<String, Object>> nodes = graph.nodes().stream().map(n -> {
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("name", n.name());
            node.put("kind", n.kind().name());
            node.put("detail", n.detail());
            return node;
        }).toList();
        List<Map<String, Object>> edges = graph.edges().stream().map(e -> {
            Map<String, Object> edge = new LinkedHashMap<>();
            edge.put("from", e.from());
            edge.put("to", e.to());
            edge.put("port", e.port());
            edge.put("portName", e.portName());
            edge.put("protocol", e.protocol());
            edge.put("startup", e.startup());
            if (e.fromOutside()) {
                edge.put("via", e.via());
            }
            return edge;
        }).toList();
        root.put("nodes", nodes);
        root.put("edges", edges);
        return dev.castle.text.Json.dump(root);
    }
}
