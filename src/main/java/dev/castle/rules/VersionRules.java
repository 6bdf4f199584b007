package dev.castle.rules;

import java.util.List;

import dev.castle.model.Service;
import dev.castle.model.SystemModel;
import dev.castle.model.Versions;

/**
 * Versions of a service: Deployments behind a Service, whose weights add up to 100, named within
 * Kubernetes' limits; not combined (yet) with what assumes one workload: a canary, an autoscaler,
 * an exposure through a proxy.
 */
final class VersionRules {
    static final List<Rule.OfService> SERVICE = List.of(VersionRules::versionsAreDeploymentsBehindAService, VersionRules::weightsAddUp,
            VersionRules::versionsStandAlone, VersionRules::versionNamesFit, VersionRules::routingNeedsVersions, VersionRules::versionsCallTheServicesDependencies);

    private VersionRules() {
    }

    static void versionsAreDeploymentsBehindAService(Service s, SystemModel system, Findings out) {
        if (s.versions().isEmpty()) {
            return;
        }
        if (s.workload() != Service.WorkloadKind.Deployment) {
            out.error(s.declared().at("versions"), "versions are Deployments, and this service is a " + s.workload(), "workload: Deployment");
        } else if (!s.hasService() || s.firstExposedPort().isEmpty()) {
            out.error(s.declared().at("versions"), "versions are routed behind the service's Service, and it has none", "ports (with expose: true)");
        }
    }

    static void weightsAddUp(Service s, SystemModel system, Findings out) {
        s.versions().ifPresent(v -> {
            int total = v.versions().stream().mapToInt(Versions.Version::weight).sum();
            if (total != 100) {
                out.error(s.declared().at("versions"), "the versions' weights add up to " + total, "100 (weights not written share what the others leave)");
            }
        });
    }

    static void versionsStandAlone(Service s, SystemModel system, Findings out) {
        if (s.versions().isEmpty()) {
            return;
        }
        if (s.canary().isPresent()) {
            out.error(s.declared().at("canary"), "a canary and versions both split the service's requests", "one of them: a canary is a version with a weight");
        }
        if (s.operations().autoscaling().isPresent()) {
            out.error(s.declared().at("autoscaling"), "an autoscaler scales one workload, and versions are several", "replicas per version");
        }
        if (s.operations().expose().isPresent()) {
            out.error(s.declared().at("expose"), "versions are routed inside the mesh only: the route of an exposure would reach every version alike",
                    "expose a service that calls this one (Bookinfo's productpage calls reviews)");
        }
    }

    static void versionNamesFit(Service s, SystemModel system, Findings out) {
        s.versions().ifPresent(v -> v.versions().forEach(version -> {
            String name = NameRules.fullname(system, s.name()) + "-" + version.name();
            if (name.length() > NameRules.MAX_NAME) {
                out.errorAtKey(s.declared().at("versions/" + version.name()), "the Deployment name '" + name + "' has " + name.length() + " characters",
                        "at most " + NameRules.MAX_NAME + "; shorten the version or service name");
            }
        }));
    }

    static void versionsCallTheServicesDependencies(Service s, SystemModel system, Findings out) {
        s.versions().ifPresent(v -> v.versions().forEach(version -> version.calls().ifPresent(calls -> {
            java.util.Set<String> declared = new java.util.TreeSet<>();
            s.dependsOn().forEach(d -> declared.add(d.name()));
            for (int i = 0; i < calls.size(); i++) {
                if (!declared.contains(calls.get(i))) {
                    out.error(s.declared().at("versions/" + version.name() + "/dependsOn/" + i), "version " + version.name() + " calls '" + calls.get(i)
                            + "', which is not a dependency of the service", declared.isEmpty() ? "declare it in the service's dependsOn"
                            : "one of the service's dependsOn: " + String.join(", ", declared));
                }
            }
        })));
    }

    static void routingNeedsVersions(Service s, SystemModel system, Findings out) {
        if (s.declared().has("versionRouting") && s.versions().isEmpty()) {
            out.error(s.declared().at("versionRouting"), "versionRouting routes between versions, and the service has none", "versions: {v1: {}, v2: {...}}");
        }
    }
}
