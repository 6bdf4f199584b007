package dev.castle.rules;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import dev.castle.load.Node;
import dev.castle.load.Suggestions;
import dev.castle.model.Infrastructure;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/**
 * Environments override what exists: an override names a known service or component and a feature
 * the base declares (autoscaling bounds of an autoscaled service, hosts of an exposed one, the canary
 * of a service that has one); only an embedded component changes mode (to external, operator or
 * claim), or one run by its operator (to external or claim). Every other rule then runs
 * on the environment's own model ({@link Checker}).
 */
final class EnvironmentRules {
    private EnvironmentRules() {
    }

    /** The override rules of one environment, on the base system. */
    static void overridesFitBase(SystemModel base, SystemModel.Environment environment, Findings out) {
        SystemModel.Overrides overrides = environment.overrides();
        String at = overrides.pointer();
        Set<String> services = new TreeSet<>(base.services().stream().map(Service::name).toList());
        overrides.services().forEach((name, keys) -> {
            String own = at + "/services/" + Node.escapePointerToken(name);
            Service service = base.service(name).orElse(null);
            if (service == null) {
                out.errorAtKey(own, "'" + name + "' is not a service of the system", "one of: " + String.join(", ", services),
                        Suggestions.closest(name, services));
                return;
            }
            requireBase(keys, "autoscaling", service.declared().has("autoscaling"), own, "the service does not autoscale in the base", out);
            requireBase(keys, "expose", service.declared().has("expose"), own, "the service is not exposed in the base", out);
            requireBase(keys, "canary", service.declared().has("canary"), own, "the service has no canary in the base", out);
            if (keys.contains("replicas") && service.operations().autoscaling().isPresent()) {
                out.error(own + "/replicas", "replicas of an autoscaled service", "autoscaling: {minReplicas, maxReplicas} in this environment");
            }
        });
        if (overrides.all().contains("autoscaling")) {
            base.services().stream().filter(s -> s.operations().autoscaling().isEmpty()).forEach(s ->
                    out.error(at + "/all/autoscaling", "all.autoscaling, but service '" + s.name() + "' does not autoscale",
                            "autoscaling bounds per service under services.<name>"));
        }
        Set<String> components = new TreeSet<>(base.infrastructure().stream().map(Infrastructure::name).toList());
        overrides.infrastructure().forEach((name, keys) -> {
            String own = at + "/infrastructure/" + Node.escapePointerToken(name);
            Infrastructure component = base.infrastructure(name).orElse(null);
            if (component == null) {
                out.errorAtKey(own, "'" + name + "' is not an infrastructure component of the system",
                        components.isEmpty() ? "the system has no infrastructure components" : "one of: " + String.join(", ", components),
                        Suggestions.closest(name, components));
                return;
            }
            Infrastructure.Mode mode = environment.model().infrastructure(name).map(Infrastructure::mode).orElse(component.mode());
            boolean fromEmbedded = component.mode() == Infrastructure.Mode.embedded;
            boolean fromOperator = component.mode() == Infrastructure.Mode.operator && mode != Infrastructure.Mode.embedded;
            if (keys.contains("mode") && mode != component.mode() && !fromEmbedded && !fromOperator) {
                out.error(own + "/mode", component.mode() == Infrastructure.Mode.operator
                                ? "a component run by its operator in the base cannot be embedded in an environment (the base has no embedded chart)"
                                : "only an embedded component, or one run by its operator, can change mode in an environment",
                        "declare it embedded in the base; environments switch it to external, operator or claim");
            }
        });
    }

    private static void requireBase(Set<String> keys, String key, boolean inBase, String own, String problem, Findings out) {
        if (keys.contains(key) && !inBase) {
            out.error(own + "/" + key, problem, "declare " + key + " in the service first; environments override it");
        }
    }

    static List<String> names(SystemModel system) {
        return system.environments().stream().map(SystemModel.Environment::name).toList();
    }
}
