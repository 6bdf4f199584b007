package dev.castle.rules;

import java.util.List;

import dev.castle.model.Infrastructure;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/** Names Kubernetes accepts once Helm prefixes them with the release name (the system's name by default). */
final class NameRules {
    static final int MAX_NAME = 63;
    /** Helm refuses release names longer than 53 characters; the system's name is the default release name. */
    static final int MAX_RELEASE_NAME = 53;
    /** StatefulSet pods get a controller-revision-hash label of name + 11 characters; CronJobs' Jobs add 11. */
    static final int MAX_NAME_STATEFUL_OR_CRON = 52;
    static final String HEADLESS_SUFFIX = "-headless";

    static final List<Rule.OfService> SERVICE = List.of(NameRules::serviceResourceNameFits);
    static final List<Rule.OfInfrastructure> INFRASTRUCTURE = List.of(NameRules::componentResourceNameFits);
    static final List<Rule.OfSystem> SYSTEM = List.of(NameRules::serviceAndComponentNamesDiffer, NameRules::systemNameIsNotReserved,
            NameRules::systemNameFitsReleaseName, NameRules::environmentNamespaceFits);

    private NameRules() {
    }

    static String fullname(SystemModel system, String name) {
        return system.metadata().name() + "-" + name;
    }

    static void serviceResourceNameFits(Service s, SystemModel system, Findings out) {
        String fullname = fullname(system, s.name());
        Service.WorkloadKind workload = s.workload();
        int max = workload == Service.WorkloadKind.StatefulSet || workload == Service.WorkloadKind.CronJob ? MAX_NAME_STATEFUL_OR_CRON : MAX_NAME;
        String longest = fullname + (workload == Service.WorkloadKind.StatefulSet ? HEADLESS_SUFFIX : "");
        if (fullname.length() > max || longest.length() > MAX_NAME) {
            out.errorAtKey(s.declared().pointer(), "the resource name '" + longest + "' (release name + '-' + service name) has "
                    + longest.length() + " characters", "at most " + Math.min(max, MAX_NAME - (longest.length() - fullname.length()))
                    + " characters for '" + fullname + "' with a " + workload + "; shorten the service name");
        }
    }

    static void componentResourceNameFits(Infrastructure c, SystemModel system, Findings out) {
        String headless = fullname(system, c.name()) + HEADLESS_SUFFIX;
        if (c.mode() == Infrastructure.Mode.embedded && headless.length() > MAX_NAME) {
            out.errorAtKey(c.declared().pointer(), "the resource name '" + headless + "' has " + headless.length() + " characters",
                    "at most " + MAX_NAME + "; shorten the component name");
        }
    }

    static void serviceAndComponentNamesDiffer(SystemModel system, Findings out) {
        for (Infrastructure c : system.infrastructure()) {
            if (system.service(c.name()).isPresent()) {
                out.error(c.declared().pointer(), "'" + c.name() + "' is both a service and an infrastructure component",
                        "distinct names: each becomes a subchart and a Service");
            }
        }
    }

    /**
     * castle writes the Kustomize output of every system to {@code DIR/kustomize/<system>/}, beside
     * the chart {@code DIR/<system>/}: a system named {@code kustomize} would hold it inside its chart.
     */
    static void systemNameIsNotReserved(SystemModel system, Findings out) {
        if (system.metadata().name().equals("kustomize")) {
            out.error("/metadata/name", "the system name 'kustomize' is reserved: castle writes the Kustomize output of every system"
                    + " to <output>/kustomize/, which would then lie inside this system's chart", "another DNS label");
        }
    }

    static void systemNameFitsReleaseName(SystemModel system, Findings out) {
        String name = system.metadata().name();
        if (name.length() > MAX_RELEASE_NAME) {
            out.error("/metadata/name", "the system name has " + name.length() + " characters, but it is the release name castle"
                    + " checks and Kustomize renders with, and Helm takes at most " + MAX_RELEASE_NAME, "at most " + MAX_RELEASE_NAME + " characters");
        }
    }

    /** An environment's namespace defaults to {@code <system>-<env>}, a DNS label of at most 63 characters like any. */
    static void environmentNamespaceFits(SystemModel system, Findings out) {
        for (SystemModel.Environment environment : system.environments()) {
            String namespace = environment.namespace();
            if (namespace.length() > MAX_NAME) {
                out.errorAtKey(environment.overrides().pointer(), "the namespace of environment " + environment.name() + ", '" + namespace
                        + "' (<system>-<environment>), has " + namespace.length() + " characters", "at most " + MAX_NAME
                        + ": a shorter environment name, or namespace: NAME in the environment");
            }
        }
    }
}
