package dev.castle.validate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.castle.load.Diagnostic;
import dev.castle.load.Node;
import dev.castle.model.Quantity;
import dev.castle.model.Scalars;

/**
 * Rules of the system's graph: dependencies name existing services or components, never the caller
 * itself; start-up edges form no cycle (a cycle is reported with every edge's position); injected
 * variable names collide with nothing; placement names existing services.
 */
final class GraphRules {
    private final Node.MapNode doc;
    private final List<Diagnostic> problems = new ArrayList<>();

    GraphRules(Node.MapNode doc) {
        this.doc = doc;
    }

    /** A start-up edge: caller waits for callee; {@code at} is the dependency's node. */
    private record Edge(String caller, String callee, Node at) {
    }

    List<Diagnostic> check() {
        Map<String, Node.MapNode> services = entries("services");
        Map<String, Node.MapNode> infrastructure = entries("infrastructure");
        Set<String> names = new TreeSet<>(services.keySet());
        names.addAll(infrastructure.keySet());
        for (String name : infrastructure.keySet()) {
            if (services.containsKey(name)) {
                Node.MapNode infra = infrastructure.get(name);
                problems.add(new Diagnostic(infra.position(), infra.pointer(), "'" + name + "' is both a service and an infrastructure component",
                        "distinct names: each becomes a subchart and a Service"));
            }
        }
        List<Edge> startupEdges = new ArrayList<>();
        services.forEach((caller, service) -> {
            Node.Entry dependsOn = service.entries().get("dependsOn");
            Map<String, String> injected = new HashMap<>();
            Node.Entry env = service.entries().get("env");
            if (env != null && env.value() instanceof Node.MapNode envMap) {
                envMap.entries().keySet().forEach(k -> injected.put(k, "env"));
            }
            if (dependsOn != null && dependsOn.value() instanceof Node.ListNode list) {
                Set<String> seen = new HashSet<>();
                for (Node item : list.items()) {
                    Node.MapNode long_ = item instanceof Node.MapNode m ? m : null;
                    String callee = long_ == null ? ((Node.ScalarNode) item).text() : text(long_, "name");
                    Node at = long_ == null ? item : long_.entries().get("name").value();
                    if (callee.equals(caller)) {
                        report(at, "service '" + caller + "' depends on itself", "another service or component");
                        continue;
                    }
                    if (!names.contains(callee)) {
                        String hint = Suggestions.closest(callee, names).map(n -> "did you mean '" + n + "'? ").orElse("");
                        report(at, "'" + callee + "' is neither a service nor an infrastructure component",
                                hint + "one of: " + String.join(", ", names));
                        continue;
                    }
                    if (!seen.add(callee)) {
                        report(at, "'" + callee + "' is listed twice", "each dependency once");
                        continue;
                    }
                    boolean isService = services.containsKey(callee);
                    if (isService && !hasExposedPort(services.get(callee))) {
                        report(at, "service '" + callee + "' has no port on a Service to call", "a service with ports (and a Service)");
                        continue;
                    }
                    if (long_ != null && long_.entries().containsKey("port") && isService) {
                        Node port = long_.entries().get("port").value();
                        String ref = ((Node.ScalarNode) port).text();
                        Node.MapNode ports = (Node.MapNode) services.get(callee).entries().get("ports").value();
                        boolean known = ports.entries().containsKey(ref) || ports.entries().values().stream()
                                .anyMatch(p -> servicePort(p.value()).equals(ref));
                        if (!known) {
                            report(port, "'" + ref + "' is not a port of service '" + callee + "'",
                                    "one of: " + String.join(", ", ports.entries().keySet()));
                        }
                    }
                    boolean startup = long_ == null || !long_.entries().containsKey("startup")
                            ? !isService : Scalars.booleanValue(text(long_, "startup"));
                    if (startup) {
                        startupEdges.add(new Edge(caller, callee, item));
                    }
                    checkInjectedNames(callee, long_, isService, infrastructure.get(callee), at, injected);
                }
            }
            Node.Entry placement = service.entries().get("placement");
            if (placement != null && placement.value() instanceof Node.MapNode p) {
                for (String key : List.of("colocateWith", "separateFrom")) {
                    Node.Entry others = p.entries().get(key);
                    if (others != null && others.value() instanceof Node.ListNode l) {
                        for (Node other : l.items()) {
                            String target = ((Node.ScalarNode) other).text();
                            if (target.equals(caller) || !services.containsKey(target)) {
                                report(other, "'" + target + "' in " + key + " is not another service",
                                        "one of: " + String.join(", ", new TreeSet<>(services.keySet())));
                            }
                        }
                    }
                }
            }
        });
        findCycles(startupEdges);
        checkPreInstallHooks(services, infrastructure, startupEdges);
        return problems;
    }

    private void checkInjectedNames(String callee, Node.MapNode long_, boolean isService, Node.MapNode infra, Node at,
                                    Map<String, String> injected) {
        String prefix = callee.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        Map<String, String> names = new LinkedHashMap<>();
        List<String> kinds = new ArrayList<>(List.of("host", "port", "url"));
        boolean credentials = !isService && infra != null && (!"kafka".equals(text(infra, "type"))
                && ("embedded".equals(text(infra, "mode")) || text(infra, "mode").isEmpty() || infra.entries().containsKey("secret")));
        if (credentials) {
            kinds.add("username");
            kinds.add("password");
        }
        Node.MapNode env = long_ == null || !(long_.entries().get("env") != null && long_.entries().get("env").value() instanceof Node.MapNode m)
                ? null : (Node.MapNode) long_.entries().get("env").value();
        for (String kind : kinds) {
            String name = env != null && env.entries().containsKey(kind) ? text(env, kind) : prefix + "_" + kind.toUpperCase(java.util.Locale.ROOT);
            names.put(kind, name);
        }
        names.forEach((kind, name) -> {
            String previous = injected.put(name, callee);
            if (previous != null) {
                report(at, "the variable " + name + " injected for '" + callee + "' is already set by "
                        + (previous.equals("env") ? "this service's env" : "the dependency on '" + previous + "'"),
                        "rename it with env: {" + kind + ": OTHER_NAME} in the long form of the dependency");
            }
        });
    }

    /**
     * Helm runs pre-install hooks before any resource of the release exists: a hook of a service
     * that waits for a component of the same release would wait for ever on first install.
     */
    private void checkPreInstallHooks(Map<String, Node.MapNode> services, Map<String, Node.MapNode> infrastructure, List<Edge> edges) {
        services.forEach((name, service) -> {
            Node.Entry hooks = service.entries().get("hooks");
            if (hooks == null || !(hooks.value() instanceof Node.MapNode hookMap)) {
                return;
            }
            List<String> internal = edges.stream().filter(e -> e.caller().equals(name))
                    .map(Edge::callee)
                    .filter(callee -> services.containsKey(callee) || !"external".equals(text(infrastructure.get(callee), "mode")))
                    .toList();
            if (internal.isEmpty()) {
                return;
            }
            hookMap.entries().forEach((hookName, hook) -> {
                Node.Entry when = ((Node.MapNode) hook.value()).entries().get("when");
                if (when != null && when.value() instanceof Node.ListNode phases && phases.items().stream()
                        .anyMatch(p -> ((Node.ScalarNode) p).text().equals("pre-install"))) {
                    report(when.value(), "hook '" + hookName + "' runs at pre-install, before " + String.join(", ", internal)
                            + " of the same release exist, and its pod waits for them",
                            "post-install (with pre-upgrade), or make the dependency external or startup: false");
                }
            });
        });
    }

    private void findCycles(List<Edge> edges) {
        Map<String, List<Edge>> out = new LinkedHashMap<>();
        edges.forEach(e -> out.computeIfAbsent(e.caller(), k -> new ArrayList<>()).add(e));
        Set<String> done = new HashSet<>();
        Set<String> reported = new HashSet<>();
        for (String start : new TreeSet<>(out.keySet())) {
            List<Edge> path = new ArrayList<>();
            visit(start, out, path, new HashSet<>(), done, reported);
        }
    }

    private void visit(String node, Map<String, List<Edge>> out, List<Edge> path, Set<String> onPath, Set<String> done,
                       Set<String> reported) {
        if (done.contains(node)) {
            return;
        }
        onPath.add(node);
        for (Edge edge : out.getOrDefault(node, List.of())) {
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
                                .append(" at line ").append(e.at().position().line()).append(", column ")
                                .append(e.at().position().column());
                    }
                    Node first = cycle.get(0).at();
                    problems.add(new Diagnostic(first.position(), first.pointer(), "start-up dependencies form a cycle: " + names
                            + " (" + where + ")", "no cycle among start-up edges; mark one edge startup: false"));
                }
            } else {
                visit(edge.callee(), out, path, onPath, done, reported);
            }
            path.remove(path.size() - 1);
        }
        onPath.remove(node);
        done.add(node);
    }

    private static boolean hasExposedPort(Node.MapNode service) {
        Node.Entry ports = service.entries().get("ports");
        if (ports == null || !(ports.value() instanceof Node.MapNode map) || map.entries().isEmpty()) {
            return false;
        }
        Node.Entry type = service.entries().get("service") == null ? null
                : ((Node.MapNode) service.entries().get("service").value()).entries().get("type");
        if (type != null && ((Node.ScalarNode) type.value()).text().equals("None")) {
            return false;
        }
        return map.entries().values().stream().anyMatch(p -> !(p.value() instanceof Node.MapNode m
                && m.entries().containsKey("expose") && !Scalars.booleanValue(((Node.ScalarNode) m.entries().get("expose").value()).text())));
    }

    private static String servicePort(Node port) {
        if (port instanceof Node.ScalarNode s) {
            return s.text();
        }
        Node.MapNode m = (Node.MapNode) port;
        return m.entries().containsKey("servicePort") ? text(m, "servicePort") : text(m, "port");
    }

    private Map<String, Node.MapNode> entries(String key) {
        Map<String, Node.MapNode> result = new LinkedHashMap<>();
        Node.Entry entry = doc.entries().get(key);
        if (entry != null && entry.value() instanceof Node.MapNode map) {
            map.entries().forEach((k, v) -> result.put(k, (Node.MapNode) v.value()));
        }
        return result;
    }

    private static String text(Node.MapNode map, String key) {
        Node.Entry entry = map.entries().get(key);
        return entry != null && entry.value() instanceof Node.ScalarNode s ? s.text() : "";
    }

    private void report(Node at, String problem, String allowed) {
        problems.add(new Diagnostic(at.position(), at.pointer(), problem, allowed));
    }
}
