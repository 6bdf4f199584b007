package dev.castle.rules;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.castle.load.Node;
import dev.castle.load.Suggestions;
import dev.castle.model.Declared;
import dev.castle.model.Dependency;
import dev.castle.model.EnvReferences;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/**
 * The container's variables as Kubernetes builds them: every {@code $(VAR)} reference names a
 * variable of the container (its env, what castle injects, its config keys through envFrom), no
 * references go round in a circle (the library orders the list so each reference comes after the
 * variable it names, which a cycle makes impossible), a variable of the service's env does not take
 * the name of one castle sets for tracing, and dependency formats hold only known placeholders.
 */
final class EnvReferenceRules {
    static final List<Rule.OfService> SERVICE = List.of(EnvReferenceRules::referencesNameVariables,
            EnvReferenceRules::referencesFormNoCycle, EnvReferenceRules::tracingVariablesAreCastles,
            EnvReferenceRules::formatsHoldKnownPlaceholders);

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{[^{}]*}");

    private EnvReferenceRules() {
    }

    /** A variable whose value may reference others: where it is written and whom it references. */
    private record Referrer(String name, String at, List<String> references) {
    }

    /** The variables written with a text: the service's literals, dependency formats, the canary's env. */
    private static List<Referrer> referrers(Service s) {
        List<Referrer> referrers = new ArrayList<>();
        for (Service.EnvVar e : s.container().env()) {
            if (e instanceof Service.Literal l) {
                String at = s.declared().at("env/" + Node.escapePointerToken(l.name()));
                referrers.add(new Referrer(l.name(), s.declared().has("env/" + Node.escapePointerToken(l.name()) + "/value") ? at + "/value" : at,
                        l.references()));
            }
        }
        for (Declared.DependencyRef ref : s.declared().dependsOn()) {
            Dependency d = s.dependsOn().stream().filter(x -> x.name().equals(ref.name())).findFirst().orElse(null);
            if (d == null) {
                continue;
            }
            Map<String, String> names = Map.of("host", d.env().host(), "port", d.env().port(), "url", d.env().url());
            ref.formats().forEach((kind, format) -> {
                if (names.containsKey(kind)) {
                    referrers.add(new Referrer(names.get(kind), ref.pointer() + "/env/" + kind + "/format", EnvReferences.in(format)));
                }
            });
        }
        return referrers;
    }

    /** Names every container of the service defines: its env, what castle injects, config keys it takes as variables. */
    private static Set<String> defined(Service s) {
        Set<String> names = new TreeSet<>();
        s.container().env().forEach(e -> names.add(e.name()));
        s.injectedEnv().forEach(v -> names.add(v.name()));
        s.configuration().config().filter(Service.Config::envFrom).ifPresent(c -> {
            c.data().keySet().stream().filter(k -> EnvReferences.NAME.matcher(k).matches()).forEach(names::add);
            c.files().keySet().stream().filter(k -> EnvReferences.NAME.matcher(k).matches()).forEach(names::add);
        });
        return names;
    }

    static void referencesNameVariables(Service s, SystemModel system, Findings out) {
        if (s.configuration().secrets().stream().anyMatch(Service.SecretRef::envFrom)) {
            return; // a Secret's keys become variables too, and castle cannot see them
        }
        Set<String> known = defined(s);
        for (Referrer r : referrers(s)) {
            checkKnown(r.at(), r.name(), r.references(), known, out);
        }
        s.canary().ifPresent(canary -> {
            Set<String> canaryKnown = new TreeSet<>(known);
            canaryKnown.addAll(canary.env().keySet());
            canary.env().forEach((name, value) -> checkKnown(s.declared().at("canary/env/" + Node.escapePointerToken(name)), name,
                    EnvReferences.in(value), canaryKnown, out));
        });
    }

    private static void checkKnown(String at, String name, List<String> references, Set<String> known, Findings out) {
        for (String reference : references) {
            if (!known.contains(reference)) {
                out.error(at, "$(" + reference + ") in " + name + " names no variable of this container, so Kubernetes leaves it as written",
                        "a variable of env, of a dependency, of tracing or logs, or a config key (with envFrom); $$(" + reference
                                + ") for the text itself", Suggestions.closest(reference, known));
            }
        }
    }

    static void referencesFormNoCycle(Service s, SystemModel system, Findings out) {
        Map<String, List<String>> edges = new LinkedHashMap<>();
        Map<String, String> where = new LinkedHashMap<>();
        s.injectedEnv().forEach(v -> edges.put(v.name(), v.references()));
        for (Referrer r : referrers(s)) {
            edges.put(r.name(), r.references());
            where.put(r.name(), r.at());
        }
        s.container().env().stream().filter(e -> !(e instanceof Service.Literal)).forEach(e -> edges.put(e.name(), List.of()));
        Set<String> reported = new HashSet<>();
        Set<String> done = new HashSet<>();
        for (String start : where.keySet()) {
            cycleFrom(start, edges, new ArrayList<>(), done, reported, where, out);
        }
    }

    private static void cycleFrom(String name, Map<String, List<String>> edges, List<String> path, Set<String> done,
                                  Set<String> reported, Map<String, String> where, Findings out) {
        int at = path.indexOf(name);
        if (at >= 0) {
            List<String> cycle = path.subList(at, path.size());
            if (reported.add(String.join(",", new TreeSet<>(cycle)))) {
                String first = cycle.stream().filter(where::containsKey).findFirst().orElse(cycle.get(0));
                out.error(where.get(first), "the $(VAR) references of " + String.join(" -> ", cycle)
                        + " -> " + cycle.get(0) + " go round in a circle: Kubernetes expands a reference only to a variable defined before it",
                        "break the circle: no variable may reference itself, directly or through others");
            }
            return;
        }
        if (done.contains(name) || !edges.containsKey(name)) {
            return;
        }
        path.add(name);
        for (String next : edges.get(name)) {
            cycleFrom(next, edges, path, done, reported, where, out);
        }
        path.remove(path.size() - 1);
        done.add(name);
    }

    /** castle sets POD_NAMESPACE and OTEL_* while tracing is on; the service's own would be dropped or clash. */
    static void tracingVariablesAreCastles(Service s, SystemModel system, Findings out) {
        for (Service.InjectedVar injected : s.injectedEnv()) {
            if (!injected.source().equals("tracing")) {
                continue;
            }
            s.container().env().stream().filter(e -> e.name().equals(injected.name())).findFirst().ifPresent(e ->
                    out.errorAtKey(s.declared().at("env/" + Node.escapePointerToken(e.name())), e.name()
                            + " is set by castle while tracing is on (observability.tracing)",
                            "remove it from env, or turn tracing off for this service: tracing: {enabled: false}"));
        }
    }

    static void formatsHoldKnownPlaceholders(Service s, SystemModel system, Findings out) {
        for (Declared.DependencyRef ref : s.declared().dependsOn()) {
            ref.formats().forEach((kind, format) -> {
                Matcher m = PLACEHOLDER.matcher(format);
                while (m.find()) {
                    if (!Dependency.PLACEHOLDERS.contains(m.group())) {
                        out.error(ref.pointer() + "/env/" + kind + "/format", "'" + m.group() + "' is not a placeholder of a dependency's format",
                                "one of: " + String.join(", ", Dependency.PLACEHOLDERS));
                    }
                }
            });
        }
    }
}
