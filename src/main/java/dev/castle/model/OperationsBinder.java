package dev.castle.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.castle.load.Node;

/** Binds exposure, autoscaling, metrics, alerts, tracing, logs and hooks of one service. */
final class OperationsBinder {
    static final String DEFAULT_OTLP_ENDPOINT = "http://otel-collector.observability:4317";

    private OperationsBinder() {
    }

    /** System-wide settings the services inherit. */
    record Defaults(SystemModel.Gateway gateway, Fields tracing, Fields logs) {
    }

    static SystemModel.Gateway gateway(String system, Fields g) {
        return new SystemModel.Gateway(g.text("name", system), g.text("namespace"), g.bool("create", false),
                g.text("className"), g.has("tls") ? Optional.of(tls(g.object("tls"), true)) : Optional.empty());
    }

    static SystemModel.Observability observability(Fields o) {
        Fields prometheus = o.object("prometheus");
        Fields stack = o.object("stack");
        return new SystemModel.Observability(prometheus.bool("operator", true), prometheus.stringMap("labels"),
                o.object("tracing").bool("instrumentation", false), stack.bool("prometheus", false),
                stack.bool("tracing", false), stack.bool("logs", false));
    }

    static Operations bind(String name, Fields s, List<Service.Port> ports, Service.WorkloadKind workload, Defaults defaults) {
        Optional<Operations.Expose> expose = s.has("expose") ? Optional.of(expose(s.object("expose"), ports, defaults.gateway()))
                : Optional.empty();
        Optional<Operations.Autoscaling> autoscaling = s.has("autoscaling") ? Optional.of(autoscaling(s.object("autoscaling")))
                : Optional.empty();
        Optional<Operations.Metrics> metrics = metrics(s.object("metrics"), ports);
        List<Operations.Alert> alerts = Alerts.of(name, workload, autoscaling, s.object("metrics"), s.object("alerts"));
        Fields tracing = defaults.tracing();
        Fields own = s.object("tracing");
        Operations.Tracing resolvedTracing = new Operations.Tracing(own.bool("enabled", tracing.bool("enabled", true)),
                tracing.text("endpoint", DEFAULT_OTLP_ENDPOINT), tracing.text("protocol", "grpc"),
                tracing.text("sampler", "parentbased_traceidratio"),
                own.decimal("ratio").or(() -> tracing.decimal("ratio")).orElse(0.1));
        Fields logs = defaults.logs();
        String format = logs.text("format", "json");
        Operations.Logging logging = new Operations.Logging(format, logs.text("level", "info"), logs.text("parser", format));
        List<Operations.Hook> hooks = new ArrayList<>();
        Service.Image serviceImage = ModelBinder.image(s);
        new TreeMap<>(s.entries("hooks")).forEach((hookName, node) -> {
            Fields h = new Fields(node);
            hooks.add(new Operations.Hook(hookName, h.strings("when"), h.has("image") ? ModelBinder.image(h) : serviceImage,
                    h.strings("command"), h.strings("args"), h.integer("weight", 0), h.integer("backoffLimit", 1),
                    h.integer("activeDeadlineSeconds"), h.integer("ttlSecondsAfterFinished", 3600)));
        });
        return new Operations(expose, autoscaling, metrics, alerts, resolvedTracing, logging, List.copyOf(hooks));
    }

    private static Operations.Expose expose(Fields e, List<Service.Port> ports, SystemModel.Gateway gateway) {
        Service.Port port = port(e, "port", ports).orElseGet(() -> ports.stream().filter(Service.Port::exposed).findFirst()
                .orElse(ports.get(0)));
        Fields g = e.object("gateway");
        Operations.GatewayRef ref = new Operations.GatewayRef(g.text("name", gateway.name()),
                g.text("namespace").or(gateway::namespace), g.text("sectionName"));
        String via = e.text("via", "gateway");
        List<String> paths = e.strings("paths");
        return new Operations.Expose(via, e.strings("hosts"), paths.isEmpty() ? List.of("/") : paths, port, port.isGrpc(), ref,
                e.text("ingressClassName"), e.stringMap("annotations"),
                e.has("tls") ? Optional.of(tls(e.object("tls"), via.equals("gateway"))) : gateway.tls().filter(t -> via.equals("gateway")));
    }

    static Operations.Tls tls(Fields t, boolean gatewayApi) {
        return new Operations.Tls(t.text("secretName"), t.text("issuer"), t.text("issuerKind", "ClusterIssuer"),
                t.bool("certificate", gatewayApi));
    }

    private static Operations.Autoscaling autoscaling(Fields a) {
        List<Map<String, Object>> metrics = new ArrayList<>();
        a.node("metrics").filter(Node.ListNode.class::isInstance).ifPresent(list -> ((Node.ListNode) list).items()
                .forEach(item -> metrics.add(plainMap(item))));
        Optional<Integer> cpu = a.integer("cpu");
        Optional<Integer> memory = a.integer("memory");
        if (cpu.isEmpty() && memory.isEmpty() && metrics.isEmpty() && !a.has("keda")) {
            cpu = Optional.of(70);
        }
        Optional<Operations.Keda> keda = Optional.empty();
        if (a.has("keda")) {
            Fields k = a.object("keda");
            List<Map<String, Object>> triggers = new ArrayList<>();
            ((Node.ListNode) k.node("triggers").orElseThrow()).items().forEach(item -> triggers.add(plainMap(item)));
            keda = Optional.of(new Operations.Keda(List.copyOf(triggers), k.integer("pollingInterval"), k.integer("cooldownPeriod")));
        }
        return new Operations.Autoscaling(a.integer("minReplicas", 2), a.integer("maxReplicas", 10), cpu, memory,
                List.copyOf(metrics), a.node("behavior").map(OperationsBinder::plainMap).orElse(Map.of()), keda,
                a.text("vpa", "off").equals("recommend"));
    }

    private static Optional<Operations.Metrics> metrics(Fields m, List<Service.Port> ports) {
        Optional<Service.Port> port = port(m, "port", ports)
                .or(() -> ports.stream().filter(p -> p.name().equals("metrics")).findFirst());
        if (port.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Operations.Metrics(port.get(), m.text("path", "/metrics"), m.text("interval", "30s"),
                m.text("scrapeTimeout"), m.bool("podMonitor", !port.get().exposed())));
    }

    private static Optional<Service.Port> port(Fields f, String key, List<Service.Port> ports) {
        return f.intOrString(key).flatMap(ref -> ports.stream()
                .filter(p -> p.name().equals(ref) || Integer.valueOf(p.port()).equals(ref)).findFirst());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> plainMap(Node node) {
        Object value = InfrastructureBinder.plain(node);
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : new LinkedHashMap<>();
    }
}
