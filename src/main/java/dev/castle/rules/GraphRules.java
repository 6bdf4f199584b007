package dev.castle.rules;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import dev.castle.load.Suggestions;
import dev.castle.model.Declared;
import dev.castle.model.Dependency;
import dev.castle.model.Infrastructure;
import dev.castle.model.Operations;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/**
 * The system's graph: dependencies name existing services (with a port on a Service) or components,
 * never the caller itself, each once; injected variables collide with nothing; start-up edges form
 * no cycle; pre-install hooks wait for nothing of their own release; placement names other services.
 */
final class GraphRules {
    static final List<Rule.OfService> SERVICE = List.of(GraphRules::dependenciesNameCallables, GraphRules::startupWaitsOnTcp,
            GraphRules::injectedVariablesAreUnique,
            GraphRules::placementNamesOtherServices, GraphRules::preInstallHookWaitsForNothingOfItsRelease);
    static final List<Rule.OfSystem> SYSTEM = List.of(GraphRules::startupEdgesFormNoCycle);

    private GraphRules() {
    }

    private static Set<String> callables(SystemModel system) {
        Set<String> names = new TreeSet<>();
        system.services().forEach(s -> names.add(s.name()));
        system.infrastructure().forEach(i -> names.add(i.name()));
        return names;
    }

    static void dependenciesNameCallables(Service s, SystemModel system, Findings out) {
        Set<String> seen = new HashSet<>();
        for (Declared.DependencyRef ref : s.declared().dependsOn()) {
            String callee = ref.name();
            if (callee.equals(s.name())) {
                out.error(ref.namePointer(), "service '" + s.name() + "' depends on itself", "another service or component");
            } else if (system.service(callee).isEmpty() && system.infrastructure(callee).isEmpty()) {
                // the sorted names only for the message: built for every service, they made the rule quadratic
                Set<String> names = callables(system);
                out.error(ref.namePointer(), "'" + callee + "' is neither a service nor an infrastructure component",
                        "one of: " + String.join(", ", names), Suggestions.closest(callee, names));
            } else if (!seen.add(callee)) {
                out.error(ref.namePointer(), "'" + callee + "' is listed twice", "each dependency once");
            } else {
                system.service(callee).ifPresent(target -> {
                    if (!target.hasService()) {
                        out.error(ref.namePointer(), "service '" + callee + "' has no port on a Service to call",
                                "a service with ports (and a Service)");
                    } else {
                        ref.port().ifPresent(port -> portIsOnService(ref, port, target, out));
                    }
                });
                system.infrastructure(callee).filter(c -> c.mode() == Infrastructure.Mode.embedded)
                        .ifPresent(target -> ref.port().ifPresent(port -> portIsOnComponent(ref, port, target, out)));
            }
        }
    }

    /** A dependency's port names a port of the callee that its Service carries (not one with expose: false). */
    private static void portIsOnService(Declared.DependencyRef ref, Object port, Service target, Findings out) {
        List<Service.Port> named = target.ports().stream().filter(p -> p.name().equals(port) || Integer.valueOf(p.servicePort()).equals(port))
                .toList();
        List<String> onService = target.ports().stream().filter(Service.Port::exposed).map(Service.Port::name).toList();
        if (named.isEmpty()) {
            out.error(ref.pointer() + "/port", "'" + port + "' is not a port of service '" + target.name() + "'",
                    Findings.oneOf(onService, "a port with expose: true"));
        } else if (named.stream().noneMatch(Service.Port::exposed)) {
            out.error(ref.pointer() + "/port", "port '" + named.get(0).name() + "' of service '" + target.name()
                    + "' is kept off its Service (expose: false), so callers cannot reach it", Findings.oneOf(onService, "a port with expose: true"));
        }
    }

    /**
     * A dependency's port names a port of the embedded component's client Service (a Jaeger's
     * otlp-http, query, or its agent's UDP ports, which Jaeger removed in 1.63).
     */
    private static void portIsOnComponent(Declared.DependencyRef ref, Object port, Infrastructure target, Findings out) {
        List<String> onService = target.serverPorts().stream().filter(Infrastructure.ServerPort::onService)
                .map(p -> p.name() + " (" + p.port() + "/" + p.protocol() + ")").toList();
        boolean found = target.serverPorts().stream().filter(Infrastructure.ServerPort::onService)
                .anyMatch(p -> p.name().equals(port) || Integer.valueOf(p.port()).equals(port));
        if (found) {
            return;
        }
        boolean agent = target.type() == Infrastructure.Type.jaeger && (List.of("agent-compact", "agent-binary").contains(port)
                || Integer.valueOf(6831).equals(port) || Integer.valueOf(6832).equals(port));
        if (agent) {
            out.error(ref.pointer() + "/port", "jaeger " + target.versionTag() + " has no agent (Jaeger removed it in 1.63), so nothing"
                    + " listens on '" + port + "'", "version 1.62 or older for clients of the agent's UDP ports, or send OTLP (otlp-grpc, otlp-http)");
        } else {
            out.error(ref.pointer() + "/port", "'" + port + "' is not a port of component '" + target.name() + "'",
                    Findings.oneOf(onService, "its client port"));
        }
    }

    /** The start-up wait opens a TCP connection: a UDP or SCTP port would never answer it. */
    static void startupWaitsOnTcp(Service s, SystemModel system, Findings out) {
        for (Declared.DependencyRef ref : s.declared().dependsOn()) {
            resolved(s, ref).filter(d -> d.startup() && d.protocol() != Service.Protocol.TCP).ifPresent(d ->
                    out.error(ref.pointer() + (ref.startup().isPresent() ? "/startup" : ""), "the start-up wait for '" + d.name()
                            + "' connects over TCP, but its port " + d.port() + " is " + d.protocol(),
                            "startup: false, or a TCP port of '" + d.name() + "'"));
        }
    }

    /** The resolved edge of a declared dependency (the first one of that name). */
    private static Optional<Dependency> resolved(Service s, Declared.DependencyRef ref) {
        return s.dependsOn().stream().filter(d -> d.name().equals(ref.name())).findFirst();
    }

    static void injectedVariablesAreUnique(Service s, SystemModel system, Findings out) {
        Map<String, String> injected = new HashMap<>();
        s.container().env().forEach(e -> injected.put(e.name(), "env"));
        Set<String> done = new HashSet<>();
        for (Declared.DependencyRef ref : s.declared().dependsOn()) {
            Optional<Dependency> edge = resolved(s, ref).filter(d -> done.add(d.name()));
            if (edge.isEmpty()) {
                continue;
            }
            Dependency d = edge.get();
            d.variables().forEach((name, kind) -> {
                String previous = injected.put(name, d.name());
                if (previous != null) {
                    out.error(ref.namePointer(), "the variable " + name + " injected for '" + d.name() + "' is already set by "
                            + (previous.equals("env") ? "this service's env" : "the dependency on '" + previous + "'"),
                            kind.isEmpty() ? "rename the other variable (castle names this one after the component)"
                                    : "rename it with env: {" + kind + ": OTHER_NAME} in the long form of the dependency");
                }
            });
        }
    }

    static void placementNamesOtherServices(Service s, SystemModel system, Findings out) {
        Service.Placement placement = s.scheduling().placement();
        for (String key : List.of("colocateWith", "separateFrom")) {
            List<String> others = key.equals("colocateWith") ? placement.colocateWith() : placement.separateFrom();
            for (int i = 0; i < others.size(); i++) {
                String target = others.get(i);
                if (target.equals(s.name()) || system.service(target).isEmpty()) {
                    out.error(s.declared().at("placement/" + key + "/" + i), "'" + target + "' in " + key + " is not another service",
                            Findings.oneOf(system.services().stream().map(Service::name).filter(n -> !n.equals(s.name())).sorted().toList(),
                                    "the system has no other service"));
                }
            }
        }
    }

    /**
     * Helm runs pre-install hooks before any resource of the release exists: a hook of a service
     * that waits for a component of the same release would wait for ever on first install.
     */
    static void preInstallHookWaitsForNothingOfItsRelease(Service s, SystemModel system, Findings out) {
        List<String> internal = s.dependsOn().stream().filter(Dependency::startup)
                .filter(d -> d.kind() != Dependency.Kind.external).map(Dependency::name).toList();
        if (internal.isEmpty()) {
            return;
        }
        for (Operations.Hook hook : s.operations().hooks()) {
            if (hook.when().contains(Operations.HookPhase.PRE_INSTALL)) {
                out.error(s.declared().at("hooks/" + hook.name() + "/when"), "hook '" + hook.name() + "' runs at pre-install, before "
                        + String.join(", ", internal) + " of the same release exist, and its pod waits for them",
                        "post-install (with pre-upgrade), or make the dependency external or startup: false");
            }
        }
    }

    /** A start-up edge: the caller waits for the callee; {@code at} is where the dependency is written. */
    private record Edge(String caller, String callee, String at) {
    }

    static void startupEdgesFormNoCycle(SystemModel system, Findings out) {
        Map<String, List<Edge>> edges = new LinkedHashMap<>();
        for (Service s : system.services()) {
            Set<String> done = new HashSet<>();
            for (Declared.DependencyRef ref : s.declared().dependsOn()) {
                resolved(s, ref).filter(Dependency::startup).filter(d -> done.add(d.name()))
                        .ifPresent(d -> edges.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(new Edge(s.name(), d.name(), ref.pointer())));
            }
        }
        Set<String> done = new HashSet<>();
        Set<String> reported = new HashSet<>();
        for (String start : new TreeSet<>(edges.keySet())) {
            visit(start, edges, new ArrayList<>(), new HashSet<>(), done, reported, out);
        }
    }

    private static void visit(String node, Map<String, List<Edge>> edges, List<Edge> path, Set<String> onPath, Set<String> done,
                              Set<String> reported, Findings out) {
        if (done.contains(node)) {
            return;
        }
        onPath.add(node);
        for (Edge edge : edges.getOrDefault(node, List.of())) {
            path.add(edge);
            if (onPath.contains(edge.callee())) {
                int from = 0;
                while (!path.get(from).caller().equals(edge.callee())) {
                    from++;
                }
                List<Edge> cycle = path.subList(from, path.size());
                TreeSet<String> key = new TreeSet<>();
                cycle.forEach(e -> key.add(e.caller()));
                if (reported.add(String.join(",", key))) {
                    StringBuilder names = new StringBuilder(cycle.get(0).caller());
                    StringBuilder where = new StringBuilder();
                    for (Edge e : cycle) {
                        names.append(" -> ").append(e.callee());
                        where.append(where.length() == 0 ? "" : "; ").append(e.caller()).append(" -> ").append(e.callee())
                                .append(" at ").append(Checker.placeOf(e.at()));
                    }
                    out.error(cycle.get(0).at(), "start-up dependencies form a cycle: " + names + " (" + where + ")",
                            "no cycle among start-up edges; mark one edge startup: false");
                }
            } else {
                visit(edge.callee(), edges, path, onPath, done, reported, out);
            }
            path.remove(path.size() - 1);
        }
        onPath.remove(node);
        done.add(node);
    }
}
