package dev.castle.validate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import dev.castle.load.Diagnostic;
import dev.castle.load.Node;
import dev.castle.merge.EnvironmentMerge;

/**
 * Environments override what exists: an override names a known service or component and a field
 * the base declares (autoscaling bounds of an autoscaled service, hosts of an exposed one, the
 * canary of a service that has one); then every rule runs again on the environment's descriptor.
 */
final class EnvironmentRules {
    private final Node.MapNode doc;
    private final Path baseDir;
    private final List<Diagnostic> problems = new ArrayList<>();

    EnvironmentRules(Node.MapNode doc, Path baseDir) {
        this.doc = doc;
        this.baseDir = baseDir;
    }

    List<Diagnostic> check() {
        Map<String, Node.Entry> services = entries("services");
        Map<String, Node.Entry> infrastructure = entries("infrastructure");
        for (EnvironmentMerge.MergedEnvironment merged : EnvironmentMerge.environments(doc)) {
            String environment = merged.name();
            Node.MapNode env = merged.overrides();
            int before = problems.size();
            Node.MapNode serviceOverrides = child(env, "services");
            if (serviceOverrides != null) {
                serviceOverrides.entries().forEach((name, entry) -> {
                    if (!services.containsKey(name)) {
                        unknown(entry, name, "service", services.keySet());
                        return;
                    }
                    Node.MapNode base = (Node.MapNode) services.get(name).value();
                    Node.MapNode own = (Node.MapNode) entry.value();
                    requireBase(own, "autoscaling", base, "autoscaling", "the service does not autoscale in the base");
                    requireBase(own, "expose", base, "expose", "the service is not exposed in the base");
                    requireBase(own, "canary", base, "canary", "the service has no canary in the base");
                    if (own.entries().containsKey("replicas") && base.entries().containsKey("autoscaling")) {
                        report(own.entries().get("replicas").value(), "replicas of an autoscaled service",
                                "autoscaling: {minReplicas, maxReplicas} in this environment");
                    }
                });
            }
            Node.MapNode all = child(env, "all");
            if (all != null && all.entries().containsKey("autoscaling")) {
                services.forEach((name, entry) -> {
                    if (!((Node.MapNode) entry.value()).entries().containsKey("autoscaling")) {
                        report(all.entries().get("autoscaling").value(), "all.autoscaling, but service '" + name + "' does not autoscale",
                                "autoscaling bounds per service under services.<name>");
                    }
                });
            }
            Node.MapNode infraOverrides = child(env, "infrastructure");
            if (infraOverrides != null) {
                infraOverrides.entries().forEach((name, entry) -> {
                    if (!infrastructure.containsKey(name)) {
                        unknown(entry, name, "infrastructure component", infrastructure.keySet());
                        return;
                    }
                    Node.MapNode own = (Node.MapNode) entry.value();
                    Node.MapNode base = (Node.MapNode) infrastructure.get(name).value();
                    String baseMode = base.entries().containsKey("mode") ? ((Node.ScalarNode) base.entries().get("mode").value()).text() : "embedded";
                    Node.Entry mode = own.entries().get("mode");
                    if (mode != null && !baseMode.equals("embedded")) {
                        report(mode.value(), "only an embedded component can change mode in an environment",
                                "declare it embedded in the base, external here");
                    }
                });
            }
            if (problems.size() == before) {
                for (Diagnostic d : new SemanticRules(merged.descriptor(), baseDir).check()) {
                    problems.add(new Diagnostic(d.position(), d.pointer(), "in environment " + environment + ": " + d.problem(), d.allowed()));
                }
            }
        }
        return problems;
    }

    private static Node.MapNode child(Node.MapNode parent, String key) {
        Node.Entry entry = parent == null ? null : parent.entries().get(key);
        return entry != null && entry.value() instanceof Node.MapNode m ? m : null;
    }

    private void requireBase(Node.MapNode own, String key, Node.MapNode base, String baseKey, String problem) {
        if (own.entries().containsKey(key) && !base.entries().containsKey(baseKey)) {
            report(own.entries().get(key).value(), problem, "declare " + baseKey + " in the service first; environments override it");
        }
    }

    private void unknown(Node.Entry entry, String name, String what, java.util.Set<String> known) {
        String hint = Suggestions.closest(name, known).map(n -> "did you mean '" + n + "'? ").orElse("");
        problems.add(new Diagnostic(entry.keyPosition(), entry.value().pointer(), "'" + name + "' is not a " + what + " of the system",
                hint + "one of: " + String.join(", ", new TreeSet<>(known))));
    }

    private Map<String, Node.Entry> entries(String key) {
        Node.Entry entry = doc.entries().get(key);
        return entry != null && entry.value() instanceof Node.MapNode m ? m.entries() : Map.of();
    }

    private void report(Node at, String problem, String allowed) {
        problems.add(new Diagnostic(at.position(), at.pointer(), problem, allowed));
    }
}
