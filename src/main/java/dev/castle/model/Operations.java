package dev.castle.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a service is run beyond its pods: exposure, autoscaling, metrics and alerts, tracing and
 * logs, lifecycle hooks. Defaults resolved; grouped apart from the pod's own settings.
 */
public record Operations(
        Optional<Expose> expose,
        Optional<Autoscaling> autoscaling,
        Optional<Metrics> metrics,
        List<Alert> alerts,
        Tracing tracing,
        Logging logging,
        List<Hook> hooks) {

    public record Expose(String via, List<String> hosts, List<String> paths, Service.Port port, boolean grpc,
                         GatewayRef gateway, Optional<String> ingressClassName, Map<String, String> annotations,
                         Optional<Tls> tls) {
    }

    public record GatewayRef(String name, Optional<String> namespace, Optional<String> sectionName) {
    }

    /** TLS from an existing Secret, or from a cert-manager issuer (the Secret then defaults to {@code <fullname>-tls}). */
    public record Tls(Optional<String> secretName, Optional<String> issuer, String issuerKind, boolean certificate) {
    }

    public record Autoscaling(int minReplicas, int maxReplicas, Optional<Integer> cpu, Optional<Integer> memory,
                              List<Map<String, Object>> metrics, Map<String, Object> behavior, Optional<Keda> keda,
                              boolean vpa) {
    }

    public record Keda(List<Map<String, Object>> triggers, Optional<Integer> pollingInterval, Optional<Integer> cooldownPeriod) {
    }

    public record Metrics(Service.Port port, String path, String interval, Optional<String> scrapeTimeout,
                          boolean podMonitor) {
    }

    /**
     * An alert of the service's default set; {@code expr} holds {@code {namespace}} and
     * {@code {fullname}} for the release's namespace and the service's resource name.
     */
    public record Alert(String name, String expr, String forDuration, String severity, String summary,
                        String description, Optional<String> runbookUrl) {
    }

    public record Tracing(boolean enabled, String endpoint, String protocol, String sampler, double ratio) {
    }

    public record Logging(String format, String level, String parser) {
    }

    public record Hook(String name, List<String> when, Service.Image image, List<String> command, List<String> args,
                       int weight, int backoffLimit, Optional<Integer> activeDeadlineSeconds, int ttlSecondsAfterFinished) {
    }
}
