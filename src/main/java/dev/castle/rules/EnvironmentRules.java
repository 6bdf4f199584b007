package dev.castle.rules;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import dev.castle.load.Node;
import dev.castle.load.Suggestions;
import dev.castle.model.Dependency;
import dev.castle.model.Infrastructure;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/**
 * Environments override what exists: an override names a known service or component and a feature
 * the base declares (autoscaling bounds of an autoscaled service, hosts of an exposed one, the canary
 * of a service that has one; a destination of egress the base does not have, complete); only an embedded component changes mode (to external, operator or
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
                out.errorAtKey(own, "'" + name + "' is not a service of the system", Findings.oneOf(services, "the system has no services"),
                        Suggestions.closest(name, services));
                return;
            }
            requireBase(keys, "autoscaling", service.declared().has("autoscaling"), own, "the service does not autoscale in the base", out);
            requireBase(keys, "expose", service.declared().has("expose"), own, "the service is not exposed in the base", out);
            requireBase(keys, "canary", service.declared().has("canary"), own, "the service has no canary in the base", out);
            requireBase(keys, "config", service.configuration().config().isPresent(), own, "the service has no config in the base", out);
            addedEgressIsComplete(service, keys, own, out);
            if (keys.contains("replicas") && service.operations().autoscaling().isPresent()) {
                out.error(own + "/replicas", "replicas of an autoscaled service", "autoscaling: {minReplicas, maxReplicas} in this environment");
            }
        });
        // all.replicas applies to the services that do not autoscale, all.autoscaling to those that do: each to at least one
        if (overrides.all().contains("autoscaling") && base.services().stream().noneMatch(s -> s.operations().autoscaling().isPresent())) {
            out.error(at + "/all/autoscaling", "all.autoscaling, but no service autoscales", "declare autoscaling in the services first; "
                    + "environments override its bounds");
        }
        if (overrides.all().contains("replicas") && base.services().stream()
                .noneMatch(s -> !s.workload().isBatch() && s.operations().autoscaling().isEmpty())) {
            out.error(at + "/all/replicas", "all.replicas, but every service autoscales or is a Job", "all.autoscaling for autoscaled services");
        }
        Set<String> components = new TreeSet<>(base.infrastructure().stream().map(Infrastructure::name).toList());
        overrides.infrastructure().forEach((name, keys) -> {
            String own = at + "/infrastructure/" + Node.escapePointerToken(name);
            Infrastructure component = base.infrastructure(name).orElse(null);
            if (component == null) {
                out.errorAtKey(own, "'" + name + "' is not an infrastructure component of the system",
                        Findings.oneOf(components, "the system has no infrastructure components"),
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
            environment.model().infrastructure(name).filter(e -> keys.contains("version") && e.mode() == Infrastructure.Mode.embedded
                    && fromEmbedded && e.olderRabbitmq() != component.olderRabbitmq()).ifPresent(e -> out.error(own + "/version",
                    "rabbitmq " + e.versionTag() + " here and " + component.versionTag() + " in the base are on both sides of 3.10: the chart"
                            + " differs there (castle's configuration file, the virtual host, where the metrics come from)",
                    "a version on the base's side: " + (component.olderRabbitmq() ? "3.6 to 3.9" : "3.10 or later")));
        });
    }

    /**
     * A service the environment keeps must not wait at start-up for one it switches off: its pods
     * would wait for ever (until the dependency's timeout, then restart, again and again).
     */
    static void startupDependenciesStayEnabled(SystemModel.Environment environment, Findings out) {
        for (Service service : environment.model().services()) {
            if (!environment.enabled(service.name())) {
                continue;
            }
            for (Dependency d : service.dependsOn()) {
                if (d.startup() && !environment.enabled(d.name())) {
                    String section = environment.model().service(d.name()).isPresent() ? "/services/" : "/infrastructure/";
                    out.error(environment.overrides().pointer() + section + Node.escapePointerToken(d.name()) + "/enabled", "service '"
                                    + service.name() + "' waits at start-up for '" + d.name() + "', which environment " + environment.name()
                                    + " switches off: its pods would never start",
                            "switch '" + service.name() + "' off too, or make its dependency on '" + d.name() + "' startup: false");
                }
            }
        }
    }

    /**
     * A destination an environment adds (one the base's service does not have) says all a
     * destination says: ports, and hosts or cidrs; one it changes may give only what changes.
     */
    private static void addedEgressIsComplete(Service service, Set<String> keys, String own, Findings out) {
        Set<String> inBase = new TreeSet<>(service.network().egress().stream().map(dev.castle.model.Egress::name).toList());
        Set<String> added = new TreeSet<>();
        for (String key : keys) {
            String[] parts = key.split("/");
            if (parts.length >= 2 && parts[0].equals("egress") && !inBase.contains(parts[1].replace("~1", "/").replace("~0", "~"))) {
                added.add(parts[1]);
            }
        }
        for (String name : added) {
            String at = own + "/egress/" + name;
            if (!keys.contains("egress/" + name + "/ports")) {
                out.error(at, "the destination '" + name + "' is not in the base, so this environment must give its ports",
                        "ports: [443] (and hosts or cidrs); or name one of the base's destinations" + (inBase.isEmpty() ? "" : ": " + String.join(", ", inBase)));
            }
            if (!keys.contains("egress/" + name + "/hosts") && !keys.contains("egress/" + name + "/cidrs")) {
                out.error(at, "the destination '" + name + "' is not in the base, so this environment must give its hosts or cidrs",
                        "hosts: [api.example.com] or cidrs: [203.0.113.0/24]");
            }
        }
    }

    /**
     * An environment that switches the tracing backend off while services it keeps trace to it:
     * their spans go nowhere (a warning: the pods run, only the traces are lost).
     */
    static void tracingBackendStaysEnabled(SystemModel.Environment environment, Findings out) {
        for (Service service : environment.model().services()) {
            java.util.Optional<String> backend = service.tracesTo().map(dev.castle.model.Operations.TracingBackend::component);
            if (environment.enabled(service.name()) && backend.isPresent() && !environment.enabled(backend.get())) {
                out.warning(environment.overrides().pointer() + "/infrastructure/" + Node.escapePointerToken(backend.get()) + "/enabled",
                        "environment " + environment.name() + " switches off '" + backend.get() + "', the tracing backend of '" + service.name()
                                + "' and the other traced services: their spans would go nowhere",
                        "keep '" + backend.get() + "' on in this environment, or accept that its traces are lost (--strict refuses this)");
                return;
            }
        }
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
