package dev.castle.plan;

import static dev.castle.plan.Schemas.array;
import static dev.castle.plan.Schemas.bool;
import static dev.castle.plan.Schemas.integer;
import static dev.castle.plan.Schemas.object;
import static dev.castle.plan.Schemas.of;
import static dev.castle.plan.Schemas.string;
import static dev.castle.plan.Schemas.stringMap;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.castle.model.Operations;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/** Values of a service's exposure, autoscaling, metrics, alerts, tracing, logs and hooks. */
final class OperationsValues {
    static final String DURATION = "^([0-9]+(ms|s|m|h))+$";
    static final String HOSTNAME = "^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    private OperationsValues() {
    }

    static void add(ChartValues v, SystemModel system, Service s) {
        Operations ops = s.operations();
        boolean batch = s.workload().isBatch();
        if (!batch && s.hasService()) {
            expose(v, system, s, ops.expose());
        }
        if (!batch) {
            autoscaling(v, s, ops);
        }
        v.section("Observability");
        boolean operator = system.observability().prometheusOperator();
        if (!batch && !s.ports().isEmpty()) {
            Operations.Metrics m = ops.metrics().orElse(null);
            Service.Port port = m != null ? m.port() : s.ports().stream().filter(p -> p.name().equals("metrics")).findFirst()
                    .orElse(s.ports().get(0));
            boolean podMonitor = m != null ? m.podMonitor() : !port.exposed();
            v.param("metrics.enabled", m != null, "Expose the service's metrics to Prometheus", bool())
                    .param("metrics.port", port.name(), "Name of the port serving metrics (a name of ports)", string(Schemas.DNS_LABEL))
                    .param("metrics.path", m != null ? m.path() : "/metrics", "Path of the metrics", string("^/"))
                    .param("metrics.interval", m != null ? m.interval() : "30s", "Scrape interval", string(DURATION))
                    .param("metrics.scrapeTimeout", m != null ? m.scrapeTimeout().orElse("") : "", "Scrape timeout (empty: Prometheus' default)", string("^$|" + DURATION))
                    .param("metrics.labels", system.observability().monitorLabels(), "Labels of the monitor that the Prometheus selects", stringMap())
                    .param("metrics.serviceMonitor.enabled", operator && !podMonitor, "Create a ServiceMonitor (when the cluster has the API, unless forced)", bool())
                    .param("metrics.podMonitor.enabled", operator && podMonitor, "Create a PodMonitor, for a port off the Service (when the cluster has the API, unless forced)", bool())
                    .param("metrics.force", false, "Render the monitor even when the cluster does not serve monitoring.coreos.com/v1", bool())
                    .param("metrics.annotations", !operator, "Add prometheus.io/scrape, port and path pod annotations (without the operator)", bool());
        }
        Map<String, Object> rules = new TreeMap<>();
        for (Operations.Alert alert : ops.alerts()) {
            Map<String, Object> rule = new LinkedHashMap<>();
            rule.put("enabled", true);
            rule.put("expr", alert.expr());
            rule.put("for", alert.forDuration());
            rule.put("labels", new LinkedHashMap<>(of("severity", alert.severity().name(), "service", s.name())));
            Map<String, Object> annotations = new LinkedHashMap<>();
            annotations.put("summary", alert.summary());
            annotations.put("description", alert.description());
            alert.runbookUrl().ifPresent(url -> annotations.put("runbook_url", url));
            rule.put("annotations", annotations);
            rules.put(alert.name(), rule);
        }
        v.param("alerts.enabled", operator && !rules.isEmpty(), "Create a PrometheusRule with the service's alerts (when the cluster has the API, unless forced)", bool())
                .param("alerts.force", false, "Render the PrometheusRule even when the cluster does not serve monitoring.coreos.com/v1", bool())
                .param("alerts.namePrefix", pascal(s.name()), "Prefix of every alert's name", string("^[A-Za-z_][A-Za-z0-9_]*$|^$"))
                .param("alerts.labels", system.observability().monitorLabels(), "Labels of the PrometheusRule that the Prometheus selects", stringMap())
                .param("alerts.rules", rules, "Alerting rules by name (after namePrefix); {namespace} and {fullname} in expr stand for the release namespace and the service's name",
                        Schemas.mapOf(Schemas.strictObject(of("enabled", bool(), "expr", string(), "for", string("^([0-9]+(ms|s|m|h|d|w|y))+$"),
                                "labels", stringMap(), "annotations", stringMap()), "enabled", "expr", "for", "labels", "annotations")));
        Operations.Tracing t = ops.tracing();
        v.param("tracing.enabled", t.enabled(), "Set the OpenTelemetry SDK variables (OTEL_*)", bool())
                .param("tracing.endpoint", t.endpoint(), "OTLP endpoint of the collector (or Jaeger)", string("^https?://"))
                .param("tracing.protocol", t.protocol().value(), "OTLP protocol", Schemas.oneOf("grpc", "http/protobuf"))
                .param("tracing.sampler", t.sampler().name(), "Trace sampler", Schemas.oneOf("always_on", "always_off", "traceidratio", "parentbased_always_on", "parentbased_traceidratio"))
                .param("tracing.ratio", String.valueOf(t.ratio()), "Sampling ratio (OTEL_TRACES_SAMPLER_ARG)", string("^(0(\\.[0-9]+)?|1(\\.0+)?)$"));
        Operations.Logging l = ops.logging();
        java.util.Set<String> own = new java.util.HashSet<>();
        s.container().env().forEach(e -> own.add(e.name()));
        if (!own.contains("LOG_FORMAT")) {
            v.param("logging.format", l.format().name(), "LOG_FORMAT given to the service", Schemas.oneOf("", "json", "logfmt", "text"));
        }
        if (!own.contains("LOG_LEVEL")) {
            v.param("logging.level", l.level().name(), "LOG_LEVEL given to the service", Schemas.oneOf("", "debug", "info", "warn", "error"));
        }
        v.param("logging.parser", l.parser(), "Fluent Bit parser named in the fluentbit.io/parser pod annotation (empty: none)", string());
        Map<String, Object> hooks = new TreeMap<>();
        for (Operations.Hook h : ops.hooks()) {
            Map<String, Object> hook = new LinkedHashMap<>();
            hook.put("enabled", true);
            hook.put("when", h.phases());
            hook.put("weight", h.weight());
            boolean ownImage = !h.image().equals(s.container().image());
            hook.put("image", ownImage ? new LinkedHashMap<>(of("registry", h.image().registry(), "repository", h.image().repository(),
                    "tag", h.image().tag(), "digest", h.image().digest())) : new LinkedHashMap<>());
            hook.put("command", h.command());
            hook.put("args", h.args());
            hook.put("backoffLimit", h.backoffLimit());
            hook.put("activeDeadlineSeconds", h.activeDeadlineSeconds().orElse(0));
            hook.put("ttlSecondsAfterFinished", h.ttlSecondsAfterFinished());
            hooks.put(h.name(), hook);
        }
        List<String> phases = List.of("pre-install", "post-install", "pre-upgrade", "post-upgrade", "pre-rollback", "post-rollback", "pre-delete", "post-delete");
        v.section("Lifecycle hooks")
                .param("hooks", hooks, "Jobs Helm runs at the given phases (when) with the service's environment (migrations, smoke tests), by name;"
                        + " an empty image ({registry, repository, tag, digest}) runs the service's", Schemas.mapOf(Schemas.strictObject(of(
                        "enabled", bool(), "when", of("type", "array", "minItems", 1, "items", Schemas.oneOf(phases.toArray(String[]::new))),
                        "weight", integer(-1000, 1000),
                        "image", Schemas.strictObject(of("registry", string(ServiceValues.IMAGE_REGISTRY), "repository", string("^$|" + ServiceValues.IMAGE_REPOSITORY),
                                "tag", string(ServiceValues.IMAGE_TAG), "digest", string(ServiceValues.IMAGE_DIGEST))),
                        "command", array(string()), "args", array(string()), "backoffLimit", integer(0),
                        "activeDeadlineSeconds", integer(0), "ttlSecondsAfterFinished", integer(0)),
                        "enabled", "when", "weight", "image", "command", "args", "backoffLimit", "activeDeadlineSeconds", "ttlSecondsAfterFinished")));
    }

    /** Route, Ingress and TLS of a service with a Service: on as the descriptor says, off (ready to switch on) otherwise. */
    private static void expose(ChartValues v, SystemModel system, Service s, java.util.Optional<Operations.Expose> expose) {
        v.section("Exposure");
        Operations.Expose e = expose.orElse(null);
        String via = e == null ? "" : e.via().name();
        Service.Port port = e != null ? e.port() : s.firstExposedPort().orElseThrow();
        Operations.GatewayRef gateway = e != null ? e.gateway()
                : new Operations.GatewayRef(system.gateway().name(), system.gateway().namespace(), java.util.Optional.empty(),
                system.gateway().proxies());
        Map<String, Object> parent = new LinkedHashMap<>();
        parent.put("name", gateway.name());
        gateway.namespace().ifPresent(ns -> parent.put("namespace", ns));
        gateway.sectionName().ifPresent(section -> parent.put("sectionName", section));
        List<String> hosts = e == null ? List.of() : e.hosts();
        List<Object> paths = e == null ? List.of("/") : routePaths(e.paths());
        Map<String, String> annotations = e == null ? Map.of() : e.annotations();
        v.param("route.enabled", via.equals("gateway"), "Create a Gateway API route to the service", bool())
                .param("route.kind", port.isGrpc() ? "GRPCRoute" : "HTTPRoute", "HTTPRoute, or GRPCRoute for a gRPC port", Schemas.oneOf("HTTPRoute", "GRPCRoute"))
                .param("route.parentRefs", List.of(parent), "Gateways the route attaches to, in Gateway API form", array(object()))
                .param("route.hostnames", via.equals("gateway") ? hosts : List.of(), "Host names (empty: every host of the Gateway)", array(string(HOSTNAME)))
                .param("route.paths", via.equals("gateway") ? paths : List.of("/"), "Paths (HTTPRoute): a prefix, or {path, match: Exact}", array(Schemas.routePath()))
                .param("route.port", port.name(), "The port the route sends to (a name of ports)", string(Schemas.DNS_LABEL))
                .param("route.annotations", via.equals("gateway") ? annotations : Map.of(), "Route annotations", stringMap());
        v.param("ingress.enabled", via.equals("ingress"), "Create an Ingress to the service", bool())
                .param("ingress.className", e != null && via.equals("ingress") ? e.ingressClassName().orElse("") : "", "Ingress class (empty: the cluster default)", string())
                .param("ingress.hosts", via.equals("ingress") ? hosts : List.of(), "Host names (empty: every host)", array(string(HOSTNAME)))
                .param("ingress.paths", via.equals("ingress") ? paths : List.of("/"), "Paths: a prefix, or {path, match: Exact}", array(Schemas.routePath()))
                .param("ingress.port", port.name(), "The port the Ingress sends to (a name of ports)", string(Schemas.DNS_LABEL))
                .param("ingress.annotations", via.equals("ingress") ? annotations : Map.of(), "Ingress annotations", stringMap());
        Operations.Tls tls = e == null ? null : e.tls().orElse(null);
        v.param("tls.enabled", tls != null, "Serve the hosts over TLS (Ingress; a Gateway terminates TLS at its listener)", bool())
                .param("tls.secretName", tls == null ? "" : tls.secretName().orElse(""), "TLS Secret (empty: <fullname>-tls, filled by cert-manager)", string())
                .param("tls.issuer", tls == null ? "" : tls.issuer().orElse(""), "cert-manager issuer (empty: the Secret exists)", string())
                .param("tls.issuerKind", tls == null ? "ClusterIssuer" : tls.issuerKind().name(), "ClusterIssuer or Issuer", Schemas.oneOf("ClusterIssuer", "Issuer"))
                .param("tls.certificate", tls != null && tls.certificate() && tls.issuer().isPresent(), "Create a cert-manager Certificate for the hosts (else the Ingress annotation asks for one)", bool())
                .param("tls.force", false, "Render the Certificate even when the cluster does not serve cert-manager.io/v1", bool());
    }

    /** HPA values of every Deployment and StatefulSet (off unless the descriptor autoscales), KEDA when declared, VPA. */
    private static void autoscaling(ChartValues v, Service s, Operations ops) {
        v.section("Autoscaling");
        Operations.Autoscaling a = ops.autoscaling().orElse(null);
        boolean keda = a != null && a.keda().isPresent();
        int min = a == null ? Math.max(2, s.scheduling().replicas()) : a.minReplicas();
        v.param("autoscaling.enabled", a != null && !keda, "Create a HorizontalPodAutoscaler (the workload then sets no replicas)", bool())
                .param("autoscaling.minReplicas", min, "Minimum pods", integer(1))
                .param("autoscaling.maxReplicas", a == null ? Math.max(min + 1, 3) : a.maxReplicas(), "Maximum pods", integer(1))
                .param("autoscaling.targetCPUUtilizationPercentage", a == null ? 70 : a.cpu().orElse(0), "Target CPU, % of requests (0: not used)", integer(0))
                .param("autoscaling.targetMemoryUtilizationPercentage", a == null ? 0 : a.memory().orElse(0), "Target memory, % of requests (0: not used)", integer(0))
                .param("autoscaling.metrics", a == null ? List.of() : a.metrics(), "Further metrics in Kubernetes form", array(object()))
                .param("autoscaling.behavior", a == null ? Map.of() : a.behavior(), "Scaling behaviour in Kubernetes form", object());
        if (keda) {
            Operations.Keda k = a.keda().orElseThrow();
            v.param("keda.enabled", true, "Create a KEDA ScaledObject with autoscaling's bounds (instead of the HorizontalPodAutoscaler)", bool())
                    .param("keda.triggers", k.triggers(), "KEDA triggers", array(object()))
                    .param("keda.pollingInterval", k.pollingInterval().orElse(30), "Seconds between checks of the triggers", integer(1))
                    .param("keda.cooldownPeriod", k.cooldownPeriod().orElse(300), "Seconds after the last active trigger before scaling down", integer(0))
                    .param("keda.force", false, "Render the ScaledObject even when the cluster does not serve keda.sh/v1alpha1", bool());
        }
        v.param("vpa.enabled", a != null && a.vpa(), "Create a VerticalPodAutoscaler (when the cluster serves the API, unless forced)", bool())
                .param("vpa.updateMode", "Off", "Off: recommendations only; Initial or Recreate let it set requests", Schemas.oneOf("Off", "Initial", "Recreate", "InPlaceOrRecreate"))
                .param("vpa.force", false, "Render it even when the cluster does not serve autoscaling.k8s.io/v1", bool());
    }

    static String pascal(String name) {
        StringBuilder out = new StringBuilder();
        for (String part : name.split("-")) {
            if (!part.isEmpty()) {
                out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return out.toString();
    }

    /** Paths as the chart's values hold them: a prefix as a string, an exact path as {path, match: Exact}. */
    private static List<Object> routePaths(List<Operations.RoutePath> paths) {
        return paths.stream().<Object>map(p -> p.exact() ? Schemas.of("path", p.path(), "match", "Exact") : p.path()).toList();
    }
}
