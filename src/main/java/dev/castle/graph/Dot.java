package dev.castle.graph;

/** The graph in Graphviz DOT: {@code castle graph --format dot | dot -Tsvg > graph.svg}. */
public final class Dot {
    private Dot() {
    }

    public static String render(SystemGraph graph) {
        StringBuilder out = new StringBuilder("digraph ").append(quote(graph.system())).append(" {\n");
        out.append("  // arrows are calls (port/protocol); bold arrows are also awaited at start-up\n");
        out.append("  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n");
        for (SystemGraph.Node node : graph.nodes()) {
            String shape = switch (node.kind()) {
                case service -> "box";
                case component, chart, operator -> "cylinder";
                case external, claim -> "hexagon";
                case outside -> "circle";
            };
            String label = node.kind() == SystemGraph.Kind.outside ? "outside"
                    : Mermaid.label(node).replace("<br/>", "\n");
            out.append("  ").append(quote(node.name())).append(" [shape=").append(shape).append(", label=")
                    .append(quote(label)).append("];\n");
        }
        for (SystemGraph.Edge edge : graph.edges()) {
            out.append("  ").append(quote(edge.from())).append(" -> ").append(quote(edge.to())).append(" [label=")
                    .append(quote(Mermaid.edgeLabel(edge))).append(edge.startup() ? ", style=bold" : "")
                    .append(edge.fromOutside() ? ", style=dashed" : "").append("];\n");
        }
        return out.append("}\n").toString();
    }

    static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
