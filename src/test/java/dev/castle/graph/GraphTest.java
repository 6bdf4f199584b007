package dev.castle.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.castle.cli.Pipeline;
import dev.castle.model.NetworkPolicies;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/** Given the shop example, the graph is exactly its dependsOn edges, the ones its NetworkPolicies allow. */
class GraphTest {
    private static SystemModel shop() throws Exception {
        String dir = System.getProperty("castle.projectDir", System.getProperty("user.dir"));
        return Pipeline.model(Path.of(dir, "examples/shop/castle.yaml"));
    }

    @Test
    void edgesAreTheDeclaredDependenciesWithTheirStartupFlag() throws Exception {
        SystemModel model = shop();
        SystemGraph graph = GraphBuilder.of(model);
        Set<String> declared = new TreeSet<>();
        for (Service s : model.services()) {
            s.dependsOn().forEach(d -> declared.add(s.name() + "->" + d.name() + (d.startup() ? " waits" : "")));
        }
        Set<String> drawn = graph.edges().stream().filter(e -> !e.fromOutside())
                .map(e -> e.from() + "->" + e.to() + (e.startup() ? " waits" : "")).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(declared, drawn);
        assertTrue(graph.edges().stream().anyMatch(SystemGraph.Edge::fromOutside), "the shop exposes its frontend");
        assertEquals(model.services().size() + model.infrastructure().size() + 1, graph.nodes().size());
    }

    @Test
    void everyCallIsAllowedByTheNetworkPoliciesOnItsPort() throws Exception {
        SystemModel model = shop();
        Map<String, NetworkPolicies.Policy> policies = NetworkPolicies.of(model);
        for (SystemGraph.Edge edge : GraphBuilder.of(model).edges()) {
            if (edge.fromOutside() || !policies.containsKey(edge.to())) {
                continue;
            }
            boolean allowed = policies.get(edge.to()).ingress().stream().anyMatch(rule ->
                    rule.peer().equals(new NetworkPolicies.Component(edge.from())));
            assertTrue(allowed, edge + " has no ingress rule at " + edge.to());
            assertTrue(policies.get(edge.from()).egress().stream().anyMatch(rule -> rule.peer().equals(new NetworkPolicies.Component(edge.to()))),
                    edge + " has no egress rule at " + edge.from());
        }
    }

    @Test
    void tracedServicesHaveAnEdgeToTheTracingBackendThatThePoliciesAllow() throws Exception {
        String dir = System.getProperty("castle.projectDir", System.getProperty("user.dir"));
        SystemModel model = Pipeline.model(Path.of(dir, "src/test/resources/descriptors/valid/tracing-backend.yaml"));
        Set<String> toTraces = GraphBuilder.of(model).edges().stream().filter(e -> e.to().equals("traces"))
                .map(e -> e.from() + " " + e.portName() + " " + e.port() + "/" + e.protocol()).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of("api otlp-grpc 4317/TCP", "web otlp-grpc 4317/TCP", "legacy agent-compact 6831/UDP"), toTraces,
                "the traced services on OTLP without dependsOn, the legacy client on the agent's UDP port");
        Map<String, NetworkPolicies.Policy> policies = NetworkPolicies.of(model);
        for (String caller : List.of("api", "web")) {
            assertTrue(policies.get("traces").ingress().contains(new NetworkPolicies.Rule(new NetworkPolicies.Component(caller),
                    List.of(new NetworkPolicies.PortRef(4317, Service.Protocol.TCP)))), caller + " is let in on 4317");
        }
    }

    @Test
    void mermaidUsesPrefixedIdsSoThatNoNameIsAKeyword() throws Exception {
        SystemGraph graph = new SystemGraph("x", List.of(new SystemGraph.Node("end", SystemGraph.Kind.service, "Deployment"),
                new SystemGraph.Node("graph", SystemGraph.Kind.component, "redis"),
                new SystemGraph.Node("db", SystemGraph.Kind.external, "postgresql")),
                List.of(new SystemGraph.Edge("end", "graph", "redis", 6379, "TCP", true, ""),
                        new SystemGraph.Edge("end", "db", "", 5432, "TCP", false, "")));
        String text = Mermaid.render(graph);
        assertTrue(text.contains("s_end[\"end<br/>Deployment\"]"), text);
        assertTrue(text.contains("s_end ==>|\"redis 6379/TCP, start-up\"| c_graph"), text);
        assertTrue(text.contains("x_db{{\"db<br/>postgresql, external\"}}"), text);
        assertTrue(text.contains("s_end -->|\"5432/TCP\"| x_db"), text);
        String dot = Dot.render(graph);
        assertTrue(dot.contains("\"end\" -> \"graph\" [label=\"redis 6379/TCP, start-up\", style=bold];"), dot);
        String json = GraphJson.render(graph);
        assertTrue(json.contains("\"from\" : \"end\"") || json.contains("\"from\": \"end\""), json);
    }

    @Test
    void anEnvironmentLeavesOutWhatItSwitchesOff() throws Exception {
        SystemModel model = shop();
        for (SystemModel.Environment environment : model.environments()) {
            SystemGraph graph = GraphBuilder.of(environment);
            for (String off : environment.disabled()) {
                assertTrue(graph.node(off).isEmpty(), off + " is off in " + environment.name());
                assertTrue(graph.edges().stream().noneMatch(e -> e.from().equals(off) || e.to().equals(off)));
            }
        }
    }
}
