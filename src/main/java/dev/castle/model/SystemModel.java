package dev.castle.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The whole system, bound, with every default resolved. The meeting point of input and output. */
public record SystemModel(Metadata metadata, List<Service> services, List<Infrastructure> infrastructure,
                          Network network, NamespaceSettings namespace, Gateway gateway, Observability observability,
                          Secrets secrets, Optional<GitOps> gitops, List<Environment> environments) {
    public SystemModel {
        services = List.copyOf(services);
        infrastructure = List.copyOf(infrastructure);
        environments = List.copyOf(environments);
    }

    /**
     * An environment: the whole system as it runs there (the descriptor with the environment's
     * overrides, bound like the base), its namespace, what is switched off, and what it overrides.
     */
    public record Environment(String name, String namespace, SystemModel model, List<String> disabled,
                              Overrides overrides) {
        public Environment {
            disabled = List.copyOf(disabled);
        }

        public boolean enabled(String component) {
            return !disabled.contains(component);
        }
    }

    /**
     * What an environment's overrides write, as relative pointers per overridden entry (such as
     * {@code autoscaling/maxReplicas}): for rules that compare an override with the base.
     */
    public record Overrides(String pointer, Set<String> all, Map<String, Set<String>> services,
                            Map<String, Set<String>> infrastructure) {
        public static Overrides none(String pointer) {
            return new Overrides(pointer, Set.of(), Map.of(), Map.of());
        }
    }

    public record Metadata(String name, String version, String appVersion, String description, ChartInfo chart) {
    }

    /** What chart repositories show: maintainers, links, icon, keywords, annotations (Artifact Hub). */
    public record ChartInfo(List<Map<String, String>> maintainers, Optional<String> home, List<String> sources,
                            Optional<String> icon, List<String> keywords, Map<String, String> annotations) {
    }

    /**
     * NetworkPolicy settings: on by default, with the namespaces allowed in; the ingress controller's
     * namespace has no default (it must be said when a service is exposed through an Ingress).
     */
    public record Network(boolean policies, Optional<String> ingressNamespace, String monitoringNamespace, String dnsNamespace) {
    }

    /**
     * The Gateway API Gateway exposed services attach to; castle generates it (in the release
     * namespace) when {@code create}; its proxies are where the network policies admit traffic from.
     */
    public record Gateway(String name, Optional<String> namespace, boolean create, Optional<String> className,
                          Optional<Operations.Tls> tls, Operations.Proxies proxies) {
    }

    /**
     * System-wide observability: Prometheus Operator use, the system's own tracing (what the
     * OpenTelemetry Instrumentation applies; services override it) and logs, the optional stack.
     */
    public record Observability(boolean prometheusOperator, Map<String, String> monitorLabels, boolean instrumentation,
                                Operations.Tracing tracing, Operations.Logging logging,
                                boolean stackPrometheus, boolean stackTracing, boolean stackLogs) {
    }

    /** ResourceQuota and LimitRange of the release namespace. */
    public record NamespaceSettings(boolean quota, int headroomPercent) {
    }

    /** The same system with other GitOps settings (the command line's). */
    public SystemModel withGitOps(GitOps newGitOps) {
        return new SystemModel(metadata, services, infrastructure, network, namespace, gateway, observability, secrets,
                Optional.of(newGitOps), environments);
    }

    public Optional<Service> service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public Optional<Infrastructure> infrastructure(String name) {
        return infrastructure.stream().filter(i -> i.name().equals(name)).findFirst();
    }

    /**
     * The Pod Security Standards profile the system's pods meet, which their namespace enforces:
     * restricted, or baseline when the descriptor relaxes a service's security context.
     */
    public String podSecurityProfile() {
        boolean relaxed = services.stream().map(s -> s.container().security()).anyMatch(security -> !security.runAsNonRoot()
                || security.allowPrivilegeEscalation() || security.seccompProfile() != Service.SeccompProfile.RuntimeDefault
                || security.addCapabilities().stream().anyMatch(c -> !c.equals("NET_BIND_SERVICE")));
        return relaxed ? "baseline" : "restricted";
    }

    /** Services that call the given service or component. */
    public List<Service> callersOf(String name) {
        return services.stream().filter(s -> s.dependsOn().stream().anyMatch(d -> d.name().equals(name))).toList();
    }
}
