package dev.castle.rules;

import java.util.List;

import dev.castle.model.Operations;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;
import dev.castle.model.Versions;

/**
 * Versions of a service: Deployments behind a Service, whose weights add up to 100, named within
 * Kubernetes' limits; autoscaled per version (a HorizontalPodAutoscaler each, the service's bounds,
 * not KEDA's one ScaledObject); exposed through a Gateway when the versions are split by Gateway API
 * routes (the Gateway's route splits the same way), not otherwise; not combined with a canary (both
 * split the requests).
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
        s.operations().autoscaling().ifPresent(a -> {
            // each version's Deployment gets its own HorizontalPodAutoscaler with the service's bounds
            if (a.keda().isPresent()) {
                out.error(s.declared().at("autoscaling/keda"), "KEDA scales one workload from its triggers, and versions are several"
                                + " (one ScaledObject per version would each read the whole queue)",
                        "autoscaling without keda: a HorizontalPodAutoscaler per version");
            }
            s.versions().get().versions().stream().filter(v -> s.declared().has("versions/" + v.name() + "/replicas")).forEach(v ->
                    out.error(s.declared().at("versions/" + v.name() + "/replicas"), "the autoscaler sets the replicas of version '" + v.name()
                            + "' (between autoscaling.minReplicas and maxReplicas, as every version's)", "no replicas in the versions of an autoscaled service"));
        });
        s.operations().expose().ifPresent(e -> {
            // from a Gateway, castle's route splits between the versions' Services as their mesh route does; nothing else can
            String alternative = "versionRouting: gateway-api with expose.via: gateway (the Gateway's route splits between the versions too),"
                    + " or expose a service that calls this one (Bookinfo's productpage calls reviews)";
            if (e.via() != Operations.Via.gateway) {
                out.error(s.declared().at("expose"), "an exposure " + (e.via() == Operations.Via.ingress ? "through an Ingress, which has no weights between backends,"
                        : "through the Service's " + e.via() + " port") + " would reach every version alike", alternative);
            } else if (s.versions().get().routing() != Versions.Routing.GATEWAY_API) {
                out.error(s.declared().at("expose"), "Istio's subsets split the calls inside the mesh only: the Gateway's route would reach every version alike",
                        alternative);
            } else if (s.firstExposedPort().filter(p -> p.name().equals(e.port().name())).isEmpty()) {
                out.error(s.declared().at(s.declared().has("expose/port") ? "expose/port" : "expose"), "the versions are routed on the port '"
                        + s.firstExposedPort().map(Service.Port::name).orElse("") + "', and the exposure serves '" + e.port().name() + "'",
                        "expose.port: " + s.firstExposedPort().map(Service.Port::name).orElse(""));
            }
        });
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
