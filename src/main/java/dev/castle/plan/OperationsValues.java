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

import dev.castle.model.Operations;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/** Values of a service's exposure, autoscaling, metrics, alerts, tracing, logs and hooks. */
final class OperationsValues {
    private OperationsValues() {
    }

    static void add(ChartValues v, SystemModel system, Service s) {
        Operations ops = s.operations();
        ops.expose().ifPresent(e -> expose(v, e));
        if (!s.workload().isBatch()) {
            autoscaling(v, s, ops);
        }
        v.section("Observability");
        boolean operator = system.observability().prometheusOperator();
        ops.metrics().ifPresent(m -> v
                .param("metrics.enabled", true, "Expose the service's metrics to Prometheus", bool())
                .param("metrics.port", m.port().name(), "Name of the port serving metrics", string(Schemas.DNS_LABEL))
                .param("metrics.portNumber", m.port().port(), "Its container port (for prometheus.io annotations)", integer(1, 65535))
                .param("metrics.path", m.path(), "Path of the metrics", string("^/"))
                .param("metrics.interval", m.interval(), "Scrape interval", string())
                .param("metrics.scrapeTimeout", m.scrapeTimeout().orElse(""), "Scrape timeout (empty: Prometheus' default)", string())
                .param("metrics.labels", system.observability().monitorLabels(), "Labels of the monitor and rules that the Prometheus selects", stringMap())
                .param("metrics.serviceMonitor.enabled", operator && !m.podMonitor(), "Create a ServiceMonitor (when the cluster has the API, unless forced)", bool())
                .param("metrics.podMonitor.enabled", operator && m.podMonitor(), "Create a PodMonitor instead (when the cluster has the API, unless forced)", bool())
                .param("metrics.force", false, "Render monitors and rules even when the cluster does not serve monitoring.coreos.com/v1", bool())
                .param("metrics.annotations", !operator, "Add prometheus.io/scrape, port and path pod annotations (without the operator)", bool()));
        List<Object> rules = new ArrayList<>();
        for (Operations.Alert alert : ops.alerts()) {
            Map<String, Object> rule = new LinkedHashMap<>();
            rule.put("alert", pascal(s.name()) + alert.name());
            rule.put("expr", alert.expr());
            rule.put("for", alert.forDuration());
            rule.put("labels", new LinkedHashMap<>(of("severity", alert.severity().name(), "service", s.name())));
            Map<String, Object> annotations = new LinkedHashMap<>();
            annotations.put("summary", alert.summary());
            annotations.put("description", alert.description());
            alert.runbookUrl().ifPresent(url -> annotations.put("runbook_url", url));
            rule.put("annotations", annotations);
            rules.add(rule);
        }
        v.param("alerts.enabled", operator && !rules.isEmpty(), "Create a PrometheusRule with the service's alerts (when the cluster has the API, unless forced)", bool())
                .param("alerts.force", false, "Render the PrometheusRule even when the cluster does not serve monitoring.coreos.com/v1", bool())
                .param("alerts.labels", system.observability().monitorLabels(), "Labels of the PrometheusRule that the Prometheus selects", stringMap())
                .param("alerts.rules", rules, "Alerting rules; {namespace} and {fullname} in expr stand for the release namespace and the service's name",
                        array(Schemas.strictObject(of("alert", string(), "expr", string(), "for", string("^([0-9]+(ms|s|m|h|d|w|y))+$"),
                                "labels", stringMap(), "annotations", stringMap()), "alert", "expr", "for", "labels", "annotations")));
        Operations.Tracing t = ops.tracing();
        v.param("tracing.enabled", t.enabled(), "Set the OpenTelemetry SDK variables (OTEL_*)", bool())
                .param("tracing.endpoint", t.endpoint(), "OTLP endpoint of the collector (or Jaeger)", string("^https?://"))
                .param("tracing.protocol", t.protocol().value(), "OTLP protocol", Schemas.oneOf("grpc", "http/protobuf"))
                .param("tracing.sampler", t.sampler().name(), "Trace sampler", Schemas.oneOf("always_on", "always_off", "traceidratio", "parentbased_always_on", "parentbased_traceidratio"))
                .param("tracing.ratio", String.valueOf(t.ratio()), "Sampling ratio (OTEL_TRACES_SAMPLER_ARG)", string("^(0(\\.[0-9]+)?|1(\\.0+)?)$"));
        Operations.Logging l = ops.logging();
        v.param("logging.format", l.format().name(), "LOG_FORMAT given to the service (unless its env sets it)", Schemas.oneOf("json", "logfmt", "text"))
                .param("logging.level", l.level().name(), "LOG_LEVEL given to the service (unless its env sets it)", Schemas.oneOf("debug", "info", "warn", "error"))
                .param("logging.parser", l.parser(), "Fluent Bit parser named in the fluentbit.io/parser pod annotation", string());
        if (!ops.hooks().isEmpty()) {
            List<Object> hooks = new ArrayList<>();
            for (Operations.Hook h : ops.hooks()) {
                Map<String, Object> hook = new LinkedHashMap<>();
                hook.put("name", h.name());
                hook.put("when", h.phases());
                hook.put("weight", h.weight());
                hook.put("argoHook", h.phases().stream().anyMatch(w -> w.startsWith("pre-") && !w.equals("pre-delete")) ? "PreSync"
                        : h.phases().stream().anyMatch(w -> w.endsWith("-delete")) ? "PostDelete" : "PostSync");
                hook.put("image", new LinkedHashMap<>(of("registry", h.image().registry(), "repository", h.image().repository(),
                        "tag", h.image().tag(), "digest", h.image().digest())));
                hook.put("command", h.command());
                hook.put("args", h.args());
                hook.put("backoffLimit", h.backoffLimit());
                hook.put("activeDeadlineSeconds", h.activeDeadlineSeconds().orElse(0));
                hook.put("ttlSecondsAfterFinished", h.ttlSecondsAfterFinished());
                hooks.add(hook);
            }
            v.section("Lifecycle hooks")
                    .param("hooks", hooks, "Jobs Helm runs at the given phases with the service's environment (migrations, smoke tests)", array(object()));
        }
    }

    private static void expose(ChartValues v, Operations.Expose e) {
        v.section("Exposure");
        Operations.Via via = e.via();
        if (via == Operations.Via.gateway) {
            Map<String, Object> parent = new LinkedHashMap<>();
            parent.put("name", e.gateway().name());
            e.gateway().namespace().ifPresent(ns -> parent.put("namespace", ns));
            e.gateway().sectionName().ifPresent(section -> parent.put("sectionName", section));
            v.param("route.enabled", true, "Create a Gateway API route to the service", bool())
                    .param("route.kind", e.grpc() ? "GRPCRoute" : "HTTPRoute", "HTTPRoute, or GRPCRoute for a gRPC port", Schemas.oneOf("HTTPRoute", "GRPCRoute"))
                    .param("route.parentRefs", List.of(parent), "Gateways the route attaches to", array(object()))
                    .param("route.hostnames", e.hosts(), "Host names", array(string()))
                    .param("route.paths", e.paths(), "Path prefixes (HTTPRoute)", array(string("^/")))
                    .param("route.port", e.port().servicePort(), "Service port the route sends to", integer(1, 65535))
                    .param("route.annotations", e.annotations(), "Route annotations", stringMap());
        } else if (via == Operations.Via.ingress) {
            v.param("ingress.enabled", true, "Create an Ingress to the service", bool())
                    .param("ingress.className", e.ingressClassName().orElse(""), "Ingress class (empty: the cluster default)", string())
                    .param("ingress.hosts", e.hosts(), "Host names", array(string()))
                    .param("ingress.paths", e.paths(), "Path prefixes", array(string("^/")))
                    .param("ingress.port", e.port().servicePort(), "Service port the Ingress sends to", integer(1, 65535))
                    .param("ingress.annotations", e.annotations(), "Ingress annotations", stringMap());
        }
        e.tls().ifPresent(tls -> v
                .param("tls.enabled", true, "Serve the hosts over TLS", bool())
                .param("tls.secretName", tls.secretName().orElse(""), "TLS Secret (empty: <fullname>-tls, filled by cert-manager)", string())
                .param("tls.issuer", tls.issuer().orElse(""), "cert-manager issuer (empty: the Secret exists)", string())
                .param("tls.issuerKind", tls.issuerKind().name(), "ClusterIssuer or Issuer", Schemas.oneOf("ClusterIssuer", "Issuer"))
                .param("tls.certificate", tls.certificate() && tls.issuer().isPresent(), "Create a cert-manager Certificate (else the Ingress annotation asks for one)", bool())
                .param("tls.force", false, "Render the Certificate even when the cluster does not serve cert-manager.io/v1", bool())
                .param("tls.hosts", e.hosts(), "Host names of the certificate", array(string())));
    }

    private static void autoscaling(ChartValues v, Service s, Operations ops) {
        v.section("Autoscaling");
        Operations.Autoscaling a = ops.autoscaling().orElse(null);
        boolean keda = a != null && a.keda().isPresent();
        v.param("autoscaling.enabled", a != null && !keda, "Create a HorizontalPodAutoscaler (the workload then sets no replicas)", bool())
                .param("autoscaling.minReplicas", a == null ? Math.max(2, s.scheduling().replicas()) : a.minReplicas(), "Minimum pods", integer(1))
                .param("autoscaling.maxReplicas", a == null ? Math.max(3, s.scheduling().replicas() + 1) : a.maxReplicas(), "Maximum pods", integer(1))
                .param("autoscaling.targetCPUUtilizationPercentage", a == null ? 70 : a.cpu().orElse(0), "Target CPU, % of requests (0: not used)", integer(0))
                .param("autoscaling.targetMemoryUtilizationPercentage", a == null ? 0 : a.memory().orElse(0), "Target memory, % of requests (0: not used)", integer(0))
                .param("autoscaling.metrics", a == null ? List.of() : a.metrics(), "Further metrics in Kubernetes form", array(object()))
                .param("autoscaling.behavior", a == null ? Map.of() : a.behavior(), "Scaling behaviour in Kubernetes form", object());
        if (keda) {
            Operations.Keda k = a.keda().orElseThrow();
            v.param("keda.enabled", true, "Create a KEDA ScaledObject (instead of the HorizontalPodAutoscaler)", bool())
                    .param("keda.triggers", k.triggers(), "KEDA triggers", array(object()))
                    .param("keda.pollingInterval", k.pollingInterval().orElse(30), "Seconds between checks of the triggers", integer(1))
                    .param("keda.cooldownPeriod", k.cooldownPeriod().orElse(300), "Seconds after the last active trigger before scaling down", integer(0))
                    .param("keda.force", false, "Render the ScaledObject even when the cluster does not serve keda.sh/v1alpha1", bool());
        }
        if (a != null && a.vpa()) {
            v.param("vpa.enabled", true, "Create a VerticalPodAutoscaler in recommendation mode (updateMode Off)", bool())
                    .param("vpa.force", false, "Render it even when the cluster does not serve autoscaling.k8s.io/v1", bool());
        }
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
}
