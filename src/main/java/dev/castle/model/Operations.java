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

    public Operations {
        alerts = List.copyOf(alerts);
        hooks = List.copyOf(hooks);
    }

    /** How a service is reached from outside the cluster. */
    public enum Via {
        gateway, ingress, loadBalancer, nodePort;

        /** Through a proxy (a Gateway or an ingress controller) that needs host names and routes. */
        public boolean proxied() {
            return this == gateway || this == ingress;
        }
    }

    /** A path a route or Ingress matches: a prefix (matching whole segments), or exactly this path. */
    public record RoutePath(String path, boolean exact) {
    }

    public record Expose(Via via, List<String> hosts, List<RoutePath> paths, Service.Port port, boolean grpc,
                         GatewayRef gateway, Optional<String> ingressClassName, Map<String, String> annotations,
                         Optional<Tls> tls) {
        public Expose {
            hosts = List.copyOf(hosts);
            paths = List.copyOf(paths);
        }
    }

    /** A Gateway a route attaches to, and where its proxies run. */
    public record GatewayRef(String name, Optional<String> namespace, Optional<String> sectionName, Proxies proxies) {
    }

    /**
     * The pods that proxy traffic from outside to an exposed service (a Gateway's, or the ingress
     * controller's): in a namespace (empty: the release namespace), with these labels (empty: every
     * pod of that namespace).
     */
    public record Proxies(Optional<String> namespace, Map<String, String> podLabels) {
    }

    public enum IssuerKind { ClusterIssuer, Issuer }

    /** TLS from an existing Secret, or from a cert-manager issuer (the Secret then defaults to {@code <fullname>-tls}). */
    public record Tls(Optional<String> secretName, Optional<String> issuer, IssuerKind issuerKind, boolean certificate) {
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

    public enum Severity { critical, warning, info }

    /**
     * An alert of the service's default set; {@code expr} holds {@code {namespace}} and
     * {@code {fullname}} for the release's namespace and the service's resource name.
     */
    public record Alert(String name, String expr, String forDuration, Severity severity, String summary,
                        String description, Optional<String> runbookUrl) {
    }

    public enum TracingProtocol implements Spelled {
        GRPC("grpc"), HTTP_PROTOBUF("http/protobuf");

        private final String value;

        TracingProtocol(String value) {
            this.value = value;
        }

        @Override
        public String value() {
            return value;
        }
    }

    public enum Sampler { always_on, always_off, traceidratio, parentbased_always_on, parentbased_traceidratio }

    /** OpenTelemetry settings: the system's (observability.tracing), or a service's with its overrides. */
    public record Tracing(boolean enabled, String endpoint, TracingProtocol protocol, Sampler sampler, double ratio) {
        /**
         * The variables castle sets while tracing is on (the library's castle-common.envDict), each
         * with the variables its value references.
         */
        public static final Map<String, List<String>> VARIABLES = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(Map.of(
                "POD_NAMESPACE", List.of(), "OTEL_SERVICE_NAME", List.of(), "OTEL_EXPORTER_OTLP_ENDPOINT", List.of(),
                "OTEL_EXPORTER_OTLP_PROTOCOL", List.of(), "OTEL_TRACES_SAMPLER", List.of(), "OTEL_TRACES_SAMPLER_ARG", List.of(),
                "OTEL_RESOURCE_ATTRIBUTES", List.of("POD_NAMESPACE"))));
    }

    public enum LogFormat { json, logfmt, text }

    public enum LogLevel { debug, info, warn, error }

    public record Logging(LogFormat format, LogLevel level, String parser) {
        /** The variables castle sets from the logs settings; a service's env may set them otherwise. */
        public static final List<String> VARIABLES = List.of("LOG_FORMAT", "LOG_LEVEL");
    }

    /** Helm hook phases. */
    public enum HookPhase implements Spelled {
        PRE_INSTALL("pre-install"), POST_INSTALL("post-install"), PRE_UPGRADE("pre-upgrade"), POST_UPGRADE("post-upgrade"),
        PRE_ROLLBACK("pre-rollback"), POST_ROLLBACK("post-rollback"), PRE_DELETE("pre-delete"), POST_DELETE("post-delete");

        private final String value;

        HookPhase(String value) {
            this.value = value;
        }

        @Override
        public String value() {
            return value;
        }
    }

    public record Hook(String name, List<HookPhase> when, Service.Image image, List<String> command, List<String> args,
                       int weight, int backoffLimit, Optional<Integer> activeDeadlineSeconds, int ttlSecondsAfterFinished) {
        public Hook {
            when = List.copyOf(when);
            command = List.copyOf(command);
            args = List.copyOf(args);
        }

        /** The phases as Helm spells them. */
        public List<String> phases() {
            return when.stream().map(HookPhase::value).toList();
        }
    }
}
