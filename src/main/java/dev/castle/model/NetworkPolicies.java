package dev.castle.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Who may talk to whom, derived once from the graph: for every castle workload (services and
 * embedded infrastructure), the peers allowed in and out and on which ports. Everything else is
 * denied: DNS is the only egress every pod gets. The pods an operator runs are reached by the
 * labels the operator gives them ({@link OperatorWiring#podLabels}); a claim's service by its cidr;
 * a service's external destinations ({@code egress}) by their cidrs (names are not a NetworkPolicy's).
 */
public final class NetworkPolicies {
    private NetworkPolicies() {
    }

    /** Where traffic comes from or goes to. Exactly one kind applies. */
    public sealed interface Peer permits Component, Labels, Cidr, Namespace, Proxies, Anywhere, Tests {
    }

    /**
     * Pods of a castle workload of the same release; with {@code versions}, only the pods of those
     * versions of it (the caller's versions that call the callee: Bookinfo's reviews v2 and v3 call
     * ratings, v1 does not).
     */
    public record Component(String name, List<String> versions) implements Peer {
        public Component {
            versions = List.copyOf(versions);
        }

        public Component(String name) {
            this(name, List.of());
        }

        /** The caller's pods that call {@code callee}: its versions that do, when not all of them. */
        static Component callerOf(Service caller, String callee) {
            return new Component(caller.name(), caller.versions().flatMap(v -> v.callersOf(callee)).orElse(List.of()));
        }
    }

    /** Pods of an upstream chart; values may hold {@code {release}}. */
    public record Labels(Map<String, String> labels) implements Peer {
    }

    public record Cidr(String cidr) implements Peer {
    }

    /** Any pod of a namespace (the ingress controller's, the monitoring one). */
    public record Namespace(String name) implements Peer {
    }

    /**
     * The proxies of a Gateway or ingress controller: pods with these labels (none: every pod) in
     * the namespace (empty: the release namespace).
     */
    public record Proxies(Optional<String> namespace, Map<String, String> podLabels) implements Peer {
    }

    /** Any source: the ports of a NodePort or LoadBalancer Service. */
    public record Anywhere() implements Peer {
    }

    /** The {@code helm test} pods of the component's own chart. */
    public record Tests() implements Peer {
    }

    public record PortRef(int port, Service.Protocol protocol) {
    }

    public record Rule(Peer peer, List<PortRef> ports) {
    }

    public record Policy(List<Rule> ingress, List<Rule> egress) {
    }

    /** Policies by component name, sorted. Empty when network policies are switched off. */
    public static Map<String, Policy> of(SystemModel system) {
        Map<String, Policy> policies = new TreeMap<>();
        if (!system.network().policies()) {
            return policies;
        }
        for (Service s : system.services()) {
            List<Rule> ingress = new ArrayList<>();
            List<PortRef> exposed = s.ports().stream().filter(Service.Port::exposed)
                    .map(p -> new PortRef(p.port(), p.protocol())).toList();
            if (s.hasService()) {
                for (Service caller : system.callersOf(s.name())) {
                    ingress.add(new Rule(Component.callerOf(caller, s.name()), portsCalled(caller, s.name())));
                }
                if (s.network().service().reachableFromOutside()) {
                    ingress.add(new Rule(new Anywhere(), exposed));
                }
                s.operations().expose().ifPresent(e -> proxies(system, e).ifPresent(proxies ->
                        ingress.add(new Rule(proxies, List.of(new PortRef(e.port().port(), e.port().protocol()))))));
                ingress.add(new Rule(new Tests(), exposed.stream().filter(p -> p.protocol() == Service.Protocol.TCP).toList()));
            }
            for (ExtraService extra : s.network().extraServices()) {
                if (extra.reachableFromOutside()) {
                    List<PortRef> targets = extra.ports().stream().flatMap(x -> s.ports().stream().filter(p -> p.name().equals(x.target())))
                            .map(p -> new PortRef(p.port(), p.protocol())).toList();
                    ingress.add(new Rule(new Anywhere(), targets));
                }
            }
            // ports named metrics, and the port the service's metrics are scraped on (a Sock Shop service serves /metrics on http)
            List<PortRef> metrics = s.ports().stream().filter(p -> p.name().equals("metrics") || p.name().endsWith("-metrics")
                            || s.operations().metrics().map(m -> m.port().name().equals(p.name())).orElse(false))
                    .map(p -> new PortRef(p.port(), p.protocol())).toList();
            if (!metrics.isEmpty()) {
                ingress.add(new Rule(new Namespace(system.network().monitoringNamespace()), metrics));
            }
            List<Rule> egress = new ArrayList<>();
            for (Dependency d : s.dependsOn()) {
                PortRef port = new PortRef(d.targetPort(), d.protocol());
                Peer peer = switch (d.kind()) {
                    case service, embedded -> new Component(d.name());
                    case external, claim -> new Cidr(system.infrastructure(d.name()).map(Infrastructure::cidr).orElse("0.0.0.0/0"));
                    case chart -> new Labels(system.infrastructure(d.name()).flatMap(Infrastructure::chart)
                            .map(Infrastructure.UpstreamChart::podLabels).orElse(Map.of()));
                    case operator -> new Labels(system.infrastructure(d.name()).map(OperatorWiring::podLabels).orElse(Map.of()));
                };
                egress.add(new Rule(peer, List.of(port)));
            }
            s.tracesTo().ifPresent(backend -> egress.add(new Rule(new Component(backend.component()),
                    List.of(new PortRef(backend.port(), Service.Protocol.TCP)))));
            for (Egress e : s.network().egress()) {
                List<PortRef> ports = e.ports().stream().map(p -> new PortRef(p.port(), p.protocol())).toList();
                for (String cidr : e.cidrs()) {
                    egress.add(new Rule(new Cidr(cidr), ports));
                }
            }
            policies.put(s.name(), new Policy(List.copyOf(ingress), List.copyOf(egress)));
        }
        for (Infrastructure infra : system.infrastructure()) {
            if (infra.mode() != Infrastructure.Mode.embedded) {
                continue;
            }
            List<Rule> ingress = new ArrayList<>();
            for (Service caller : system.services()) {
                // the ports its dependency calls, from the versions that call it; the OTLP port of a tracing backend
                // it sends its spans to, from every pod
                List<PortRef> called = portsCalled(caller, infra.name());
                if (!called.isEmpty()) {
                    ingress.add(new Rule(Component.callerOf(caller, infra.name()), called));
                }
                caller.tracesTo().filter(b -> b.component().equals(infra.name()))
                        .map(b -> new PortRef(b.port(), Service.Protocol.TCP)).filter(p -> !called.contains(p))
                        .ifPresent(p -> ingress.add(new Rule(new Component(caller.name()), List.of(p))));
            }
            // the helm test connects to the TCP ports of the client Service
            ingress.add(new Rule(new Tests(), infra.serverPorts().stream().filter(p -> p.onService() && p.protocol() == Service.Protocol.TCP)
                    .map(p -> new PortRef(p.port(), p.protocol())).toList()));
            if (infra.server().metrics() && infra.metricsPort() > 0) {
                ingress.add(new Rule(new Namespace(system.network().monitoringNamespace()),
                        List.of(new PortRef(infra.metricsPort(), Service.Protocol.TCP))));
            }
            policies.put(infra.name(), new Policy(List.copyOf(ingress), List.of()));
        }
        return policies;
    }

    /**
     * The proxies that reach a service exposed through a Gateway (its proxies, wherever they run) or
     * an Ingress (every pod of the ingress controller's namespace); empty when not proxied, or when
     * the ingress controller's namespace is not said (a rule reports it).
     */
    public static Optional<Proxies> proxies(SystemModel system, Operations.Expose expose) {
        return switch (expose.via()) {
            case gateway -> Optional.of(new Proxies(expose.gateway().proxies().namespace(), expose.gateway().proxies().podLabels()));
            case ingress -> system.network().ingressNamespace().map(ns -> new Proxies(Optional.of(ns), Map.of()));
            default -> Optional.empty();
        };
    }

    /** The container port behind the port the caller uses (its dependency's port). */
    private static List<PortRef> portsCalled(Service caller, String callee) {
        return caller.dependsOn().stream().filter(d -> d.name().equals(callee))
                .map(d -> new PortRef(d.targetPort(), d.protocol())).toList();
    }
}
