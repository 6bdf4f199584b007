package dev.castle.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.castle.model.Dependency;
import dev.castle.model.Infrastructure;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/**
 * Reads the graph off the model: the services' resolved {@code dependsOn} edges (the ones the
 * NetworkPolicies are derived from), the components, and the ways in from outside (exposure
 * through a Gateway or an Ingress, NodePort and LoadBalancer Services). Only these few parts of the
 * model are read, so the graph follows the model as it changes.
 */
public final class GraphBuilder {
    private GraphBuilder() {
    }

    public static SystemGraph of(SystemModel system) {
        return of(system, List.of());
    }

    /** The graph of one environment: its own model, without the services and components it switches off. */
    public static SystemGraph of(SystemModel.Environment environment) {
        return of(environment.model(), environment.disabled());
    }

    private static SystemGraph of(SystemModel system, List<String> disabled) {
        List<SystemGraph.Node> nodes = new ArrayList<>();
        List<SystemGraph.Edge> edges = new ArrayList<>();
        boolean outside = false;
        for (Service s : system.services()) {
            if (disabled.contains(s.name())) {
                continue;
            }
            nodes.add(new SystemGraph.Node(s.name(), SystemGraph.Kind.service, s.workload().name()));
            for (Dependency d : s.dependsOn()) {
                if (disabled.contains(d.name())) {
                    continue;
                }
                edges.add(new SystemGraph.Edge(s.name(), d.name(), d.targetPortName(), d.port(), protocol(system, d),
                        d.startup(), ""));
            }
            // the spans to the tracing backend, unless a dependency already calls that port
            s.tracesTo().filter(b -> !disabled.contains(b.component()))
                    .filter(b -> s.dependsOn().stream().noneMatch(d -> d.name().equals(b.component()) && d.targetPort() == b.port()))
                    .ifPresent(b -> edges.add(new SystemGraph.Edge(s.name(), b.component(), b.portName(), b.port(), "TCP", false, "")));
            Optional<String> via = s.operations().expose().map(e -> e.via().name());
            String type = s.network().service().enabled() ? s.network().service().type().name() : "";
            if (via.isPresent() && (via.get().equals("gateway") || via.get().equals("ingress"))) {
                Service.Port port = s.operations().expose().get().port();
                edges.add(new SystemGraph.Edge(SystemGraph.OUTSIDE, s.name(), port.name(), port.servicePort(), port.protocol().name(),
                        false, via.get()));
                outside = true;
            }
            if (s.hasService() && (type.equals("LoadBalancer") || type.equals("NodePort"))) {
                for (Service.Port port : s.ports().stream().filter(Service.Port::exposed).toList()) {
                    edges.add(new SystemGraph.Edge(SystemGraph.OUTSIDE, s.name(), port.name(), port.servicePort(), port.protocol().name(),
                            false, type.equals("LoadBalancer") ? "loadBalancer" : "nodePort"));
                    outside = true;
                }
            }
        }
        for (Infrastructure infra : system.infrastructure()) {
            if (disabled.contains(infra.name())) {
                continue;
            }
            SystemGraph.Kind kind = switch (infra.mode()) {
                case embedded -> SystemGraph.Kind.component;
                case chart -> SystemGraph.Kind.chart;
                case external -> SystemGraph.Kind.external;
                case operator -> SystemGraph.Kind.operator;
                case claim -> SystemGraph.Kind.claim;
            };
            nodes.add(new SystemGraph.Node(infra.name(), kind, infra.type().name()));
        }
        if (outside) {
            nodes.add(0, new SystemGraph.Node(SystemGraph.OUTSIDE, SystemGraph.Kind.outside, "clients"));
        }
        return new SystemGraph(system.metadata().name(), nodes, edges);
    }

    /** The protocol of the callee's port (a component's: the one its dependency calls). */
    private static String protocol(SystemModel system, Dependency d) {
        return system.service(d.name()).flatMap(target -> target.ports().stream()
                        .filter(p -> p.name().equals(d.targetPortName())).findFirst())
                .map(p -> p.protocol().name()).orElse(d.protocol().name());
    }
}
