package dev.castle.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The whole system, validated, with every default resolved. The meeting point of input and output. */
public record SystemModel(Metadata metadata, List<Service> services, List<Infrastructure> infrastructure,
                          Network network, NamespaceSettings namespace, Gateway gateway, Observability observability,
                          List<Environment> environments) {
    public SystemModel {
        services = List.copyOf(services);
        infrastructure = List.copyOf(infrastructure);
        environments = List.copyOf(environments);
    }

    /**
     * An environment: the whole system as it runs there (the descriptor with the environment's
     * overrides, bound like the base), its namespace, and what is switched off.
     */
    public record Environment(String name, String namespace, SystemModel model, List<String> disabled) {
        public boolean enabled(String component) {
            return !disabled.contains(component);
        }
    }

    public record Metadata(String name, String version, String appVersion, String description, ChartInfo chart) {
    }

    /** What chart repositories show: maintainers, links, icon, keywords, annotations (Artifact Hub). */
    public record ChartInfo(List<Map<String, String>> maintainers, Optional<String> home, List<String> sources,
                            Optional<String> icon, List<String> keywords, Map<String, String> annotations) {
    }

    /** NetworkPolicy settings: on by default, with the namespaces allowed in. */
    public record Network(boolean policies, String ingressNamespace, String monitoringNamespace, String dnsNamespace) {
    }

    /** The Gateway API Gateway exposed services attach to; castle generates it when {@code create}. */
    public record Gateway(String name, Optional<String> namespace, boolean create, Optional<String> className,
                          Optional<Operations.Tls> tls) {
    }

    /** System-wide observability: Prometheus Operator use, tracing defaults, logs, the optional stack. */
    public record Observability(boolean prometheusOperator, Map<String, String> monitorLabels, boolean instrumentation,
                                boolean stackPrometheus, boolean stackTracing, boolean stackLogs) {
    }

    /** ResourceQuota and LimitRange of the release namespace. */
    public record NamespaceSettings(boolean quota, int headroomPercent) {
    }

    public Optional<Service> service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public Optional<Infrastructure> infrastructure(String name) {
        return infrastructure.stream().filter(i -> i.name().equals(name)).findFirst();
    }

    /** Services that call the given service or component. */
    public List<Service> callersOf(String name) {
        return services.stream().filter(s -> s.dependsOn().stream().anyMatch(d -> d.name().equals(name))).toList();
    }
}
