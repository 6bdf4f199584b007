package dev.castle.graph;

import java.util.List;

/**
 * The graph as a Mermaid flowchart, as GitHub and GitLab render it in Markdown. Node ids carry a
 * prefix per kind ({@code s_}, {@code c_}, {@code x_}) with '-' as '_', so that no name can be a
 * Mermaid keyword ({@code end}, {@code graph}) and no two names share an id; labels are quoted.
 * Solid arrows are calls; thick arrows are calls the caller also waits for at start-up.
 */
public final class Mermaid {
    private Mermaid() {
    }

    public static String render(SystemGraph graph) {
        StringBuilder out = new StringBuilder("flowchart LR\n");
        out.append("  %% ").append(graph.system())
                .append(": arrows are calls (port/protocol); thick arrows are also awaited at start-up\n");
        List<SystemGraph.Node> services = graph.nodes().stream().filter(n -> n.kind() == SystemGraph.Kind.service).toList();
        for (SystemGraph.Node node : graph.nodes()) {
            if (node.kind() == SystemGraph.Kind.outside) {
                out.append("  ").append(id(node)).append("((\"").append(label(node)).append("\"))\n");
            }
        }
        if (!services.isEmpty()) {
            out.append("  subgraph services[\"").append(graph.system()).append("\"]\n");
            for (SystemGraph.Node node : services) {
                out.append("    ").append(id(node)).append("[\"").append(label(node)).append("\"]\n");
            }
            out.append("  end\n");
        }
        for (SystemGraph.Node node : graph.nodes()) {
            switch (node.kind()) {
                case component, chart, operator -> out.append("  ").append(id(node)).append("[(\"").append(label(node)).append("\")]\n");
                case external, claim -> out.append("  ").append(id(node)).append("{{\"").append(label(node)).append("\"}}\n");
                default -> { }
            }
        }
        for (SystemGraph.Edge edge : graph.edges()) {
            out.append("  ").append(id(graph, edge.from())).append(edge.startup() ? " ==>" : " -->")
                    .append("|\"").append(edgeLabel(edge)).append("\"| ").append(id(graph, edge.to())).append('\n');
        }
        return out.toString();
    }

    /** The Mermaid id of the named node. */
    public static String id(SystemGraph graph, String name) {
        return graph.node(name).map(Mermaid::id).orElseThrow(() -> new IllegalArgumentException("no node " + name));
    }

    static String id(SystemGraph.Node node) {
        String base = node.name().replace('-', '_');
        return switch (node.kind()) {
            case service -> "s_" + base;
            case component, chart, operator -> "c_" + base;
            case external, claim -> "x_" + base;
            case outside -> "outside";
        };
    }

    /** What a node shows: its name and, on a second line, its workload, type or role. */
    public static String label(SystemGraph.Node node) {
        if (node.kind() == SystemGraph.Kind.outside) {
            return "outside";
        }
        String where = switch (node.kind()) {
            case chart -> ", chart";
            case external -> ", external";
            case operator -> ", operator";
            case claim -> ", claim";
            default -> "";
        };
        return node.name() + "<br/>" + node.detail() + where;
    }

    /** What an edge shows: how clients come in, or the port and protocol; "start-up" when awaited. */
    public static String edgeLabel(SystemGraph.Edge edge) {
        String port = (edge.portName().isEmpty() ? "" : edge.portName() + " ") + edge.port() + "/" + edge.protocol();
        String text = edge.fromOutside() ? edge.via() + " " + port : port;
        return edge.startup() ? text + ", start-up" : text;
    }
}
