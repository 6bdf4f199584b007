package dev.castle.rules;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.castle.model.SystemModel;

/**
 * Names that must not meet: every object the release holds has a name of its own within its kind
 * (a component {@code db-headless} beside the headless Service of {@code db}, a service
 * {@code web-canary} beside the canary of {@code web}, two hooks cut to one Job name, two services
 * sharing a ServiceAccount name...), and every environment's Kustomize overlay a folder of its own.
 */
final class CollisionRules {
    static final List<Rule.OfSystem> SYSTEM = List.of(CollisionRules::generatedNamesAreUnique,
            CollisionRules::environmentNamesLeaveCanaryOverlays);

    private CollisionRules() {
    }

    static void generatedNamesAreUnique(SystemModel system, Findings out) {
        Map<String, GeneratedObjects.Generated> first = new LinkedHashMap<>();
        Set<String> reported = new TreeSet<>();
        for (GeneratedObjects.Generated object : GeneratedObjects.of(system)) {
            GeneratedObjects.Generated earlier = first.putIfAbsent(object.kind() + "/" + object.name(), object);
            boolean serviceNameRules = earlier != null && earlier.castlesService() && object.castlesService(); // reported there
            if (earlier != null && !serviceNameRules && !sameName(earlier.owner(), object.owner())
                    && reported.add(object.owner() + "\n" + earlier.owner())) {
                out.errorAtKey(object.owner(), object.what() + " and " + earlier.what() + (earlier.owner().equals(object.owner())
                                ? "" : " (" + Checker.placeOf(earlier.owner()) + ")") + " are both the " + object.kind() + " '"
                                + object.name() + "'",
                        "distinct names: castle names objects <release>-<name>, and <release>-<name>-headless, -canary, -primary,"
                                + " -hook, -<hook>, -<volume>, -tls, -test, -credentials, -password, -server (cut to 63 characters); operators add"
                                + " -rw, -ro, -r, -pooler, -kafka-bootstrap, -kafka-brokers, -nodes, -svc");
            }
        }
    }

    /** A service and a component of one name: NameRules reports that once. */
    private static boolean sameName(String a, String b) {
        String[] x = a.split("/");
        String[] y = b.split("/");
        return x.length > 2 && y.length > 2 && !x[1].equals(y[1]) && x[2].equals(y[2]);
    }

    /** The canary overlay of environment E is overlays/E-canary/: no environment may be called that. */
    static void environmentNamesLeaveCanaryOverlays(SystemModel system, Findings out) {
        if (system.services().stream().noneMatch(s -> s.canary().isPresent())) {
            return;
        }
        Set<String> names = new TreeSet<>(EnvironmentRules.names(system));
        for (SystemModel.Environment environment : system.environments()) {
            String name = environment.name();
            if (name.endsWith("-canary") && names.contains(name.substring(0, name.length() - "-canary".length()))) {
                out.errorAtKey(environment.overrides().pointer(), "environment '" + name + "' has the name of the canary overlay of environment '"
                        + name.substring(0, name.length() - "-canary".length()) + "' (overlays/" + name + "/)",
                        "another environment name: a system with canaries gets an overlay <env>-canary per environment");
            }
        }
    }
}
