package dev.castle.graph;

import java.util.List;
import java.util.Optional;

/**
 * The system as a graph: its services and components, the outside world where it reaches them,
 * and who calls whom on which port (the edges the NetworkPolicies allow), marking the calls a
 * caller waits for at start-up. Names are the descriptor's, which are DNS labels.
 */
public record SystemGraph(String system, List<Node> nodes, List<Edge> edges) {
    public SystemGraph {
        nodes = List.copyOf(nodes);
        edges = List.copyOf(edges);
    }

    /** What a node stands for. */
    public enum Kind {
        /** A service of the system. */
        service,
        /** An infrastructure component castle runs in the release (embedded). */
        component,
        /** An infrastructure component installed from an upstream chart. */
        chart,
        /** An infrastructure component its operator runs in the release (CloudNativePG, Strimzi, ...). */
        operator,
        /** An infrastructure component a Crossplane claim provisions (outside the release's pods). */
        claim,
        /** An infrastructure component outside the cluster. */
        external,
        /** Clients outside the system: a Gateway, an ingress controller or a node or load-balancer port. */
        outside
    }

    /** {@code detail}: the workload kind of a service, the type of a component, "clients" for the outside. */
    public record Node(String name, Kind kind, String detail) {
    }

    /**
     * A call from one node to another on a port ({@code portName} may be empty for a component's
     * standard port). {@code startup}: the caller waits for it before it starts. {@code via}: how
     * outside clients come in (gateway, ingress, loadBalancer, nodePort), empty for calls inside.
     */
    public record Edge(String from, String to, String portName, int port, String protocol, boolean startup, String via) {
        public boolean fromOutside() {
            return !via.isEmpty();
        }
    }

    public Optional<Node> node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
    }

    /** The node that stands for clients outside the system (not a DNS label, so no service can have its name). */
    public static final String OUTSIDE = "(outside)";
}
