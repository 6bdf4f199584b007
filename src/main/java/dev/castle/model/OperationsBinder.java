package dev.castle.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.castle.load.Node;

/**
 * Binds the system's gateway and observability and, per service, exposure, autoscaling, metrics,
 * alerts, tracing, logs and hooks, deciding their defaults here.
 */
final class OperationsBinder {
    static final String DEFAULT_OTLP_ENDPOINT = "http://otel-collector.observability:4317";
    static final double DEFAULT_TRACING_RATIO = 0.1;
    static final int DEFAULT_MIN_REPLICAS = 2;
    static final int DEFAULT_MAX_REPLICAS = 10;
    static final int DEFAULT_CPU_TARGET = 70;
    static final String DEFAULT_METRICS_PORT = "metrics";
    static final String DEFAULT_METRICS_PATH = "/metrics";
    static final String DEFAULT_SCRAPE_INTERVAL = "30s";
    static final String DEFAULT_PATH = "/";
    static final int DEFAULT_HOOK_BACKOFF = 1;
    static final int DEFAULT_HOOK_TTL = 3600;

    private OperationsBinder() {
    }

    /** System-wide settings the services inherit. */
    record Defaults(SystemModel.Gateway gateway, Operations.Tracing tracing, Operations.Logging logging) {
    }

    /** The label GEP-1762 requires on every resource an in-cluster Gateway implementation creates for a Gateway. */
    static final String GATEWAY_NAME_LABEL = "gateway.networking.k8s.io/gateway-name";

    /** The Gateway routes attach to: named after the system, in the route's namespace unless written. */
    static SystemModel.Gateway gateway(String system, Fields g) {
        String name = g.text("name", system);
        Optional<String> namespace = g.text("namespace");
        return new SystemModel.Gateway(name, namespace, g.bool("create", false),
                g.text("className"), g.has("tls") ? Optional.of(tls(g.object("tls"), true)) : Optional.empty(),
                proxies(g.object("proxies"), name, namespace));
    }

    /**
     * Where a Gateway's proxies run: as GEP-1762 has it for in-cluster Gateways, beside the Gateway
     * and labelled with its name, unless written.
     */
    static Operations.Proxies proxies(Fields p, String gateway, Optional<String> namespace) {
        return new Operations.Proxies(p.text("namespace").or(() -> namespace),
                p.has("podLabels") ? p.stringMap("podLabels") : Map.of(GATEWAY_NAME_LABEL, gateway));
    }

    /**
     * Observability: the Prometheus Operator is used; tracing is on, to the collector at
     * {@value #DEFAULT_OTLP_ENDPOINT} over gRPC, parent-based ratio sampling at 0.1; JSON logs at info.
     */
    static SystemModel.Observability observability(Fields o) {
        Fields prometheus = o.object("prometheus");
        Fields stack = o.object("stack");
        Fields t = o.object("tracing");
        Operations.Tracing tracing = new Operations.Tracing(t.bool("enabled", true), t.text("endpoint", DEFAULT_OTLP_ENDPOINT),
                t.enumValue("protocol", Operations.TracingProtocol.class, Operations.TracingProtocol.GRPC),
                t.enumValue("sampler", Operations.Sampler.class, Operations.Sampler.parentbased_traceidratio),
                t.decimal("ratio").orElse(DEFAULT_TRACING_RATIO));
        Fields logs = o.object("logs");
        Operations.LogFormat format = logs.enumValue("format", Operations.LogFormat.class, Operations.LogFormat.json);
        Operations.Logging logging = new Operations.Logging(format, logs.enumValue("level", Operations.LogLevel.class, Operations.LogLevel.info),
                logs.text("parser", format.name()));
        return new SystemModel.Observability(prometheus.bool("operator", true), prometheus.stringMap("labels"),
                t.bool("instrumentation", false), tracing, logging, stack.bool("prometheus", false),
                stack.bool("tracing", false), stack.bool("logs", false));
    }

    static Operations bind(String name, Fields s, List<Service.Port> ports, Service.WorkloadKind workload, Defaults defaults) {
        Optional<Operations.Expose> expose = s.has("expose") && !ports.isEmpty()
                ? Optional.of(expose(s.object("expose"), ports, defaults.gateway())) : Optional.empty();
        Optional<Operations.Autoscaling> autoscaling = s.has("autoscaling") ? Optional.of(autoscaling(s.object("autoscaling")))
                : Optional.empty();
        Optional<Operations.Metrics> metrics = metrics(s.object("metrics"), ports);
        List<Operations.Alert> alerts = Alerts.of(name, workload, autoscaling, s.object("metrics"), s.object("alerts"));
        Operations.Tracing system = defaults.tracing();
        Fields own = s.object("tracing");
        Operations.Tracing tracing = new Operations.Tracing(own.bool("enabled", system.enabled()), system.endpoint(),
                system.protocol(), system.sampler(), own.decimal("ratio").orElse(system.ratio()));
        List<Operations.Hook> hooks = new ArrayList<>();
        Service.Image serviceImage = ServiceBinder.image(s);
        new TreeMap<>(s.entries("hooks")).forEach((hookName, node) -> {
            Fields h = new Fields(node);
            List<Operations.HookPhase> when = h.strings("when").stream()
                    .flatMap(w -> Enums.parse(Operations.HookPhase.class, w).stream()).toList();
            hooks.add(new Operations.Hook(hookName, when, h.has("image") ? ServiceBinder.image(h) : serviceImage,
                    h.strings("command"), h.strings("args"), h.integer("weight", 0), h.integer("backoffLimit", DEFAULT_HOOK_BACKOFF),
                    h.integer("activeDeadlineSeconds"), h.integer("ttlSecondsAfterFinished", DEFAULT_HOOK_TTL)));
        });
        return new Operations(expose, autoscaling, metrics, alerts, tracing, defaults.logging(), hooks);
    }

    /**
     * Exposure: through the system's gateway by default, on the port named (else the first on the
     * Service), at {@code /}; TLS of the gateway unless written (only for Gateway API routes).
     */
    private static Operations.Expose expose(Fields e, List<Service.Port> ports, SystemModel.Gateway gateway) {
        Service.Port port = port(e, "port", ports).orElseGet(() -> ports.stream().filter(Service.Port::exposed).findFirst()
                .orElse(ports.get(0)));
        Fields g = e.object("gateway");
        String name = g.text("name", gateway.name());
        Optional<String> namespace = g.text("namespace").or(gateway::namespace);
        boolean systemGateway = name.equals(gateway.name()) && namespace.equals(gateway.namespace());
        Operations.Proxies proxies = !g.has("proxies") && systemGateway ? gateway.proxies() : proxies(g.object("proxies"), name, namespace);
        Operations.GatewayRef ref = new Operations.GatewayRef(name, namespace, g.text("sectionName"), proxies);
        Operations.Via via = e.enumValue("via", Operations.Via.class, Operations.Via.gateway);
        List<Operations.RoutePath> paths = e.items("paths").stream().map(OperationsBinder::routePath).toList();
        boolean gatewayApi = via == Operations.Via.gateway;
        return new Operations.Expose(via, e.strings("hosts"), paths.isEmpty() ? List.of(new Operations.RoutePath(DEFAULT_PATH, false)) : paths,
                port, port.isGrpc(), ref,
                e.text("ingressClassName"), e.stringMap("annotations"),
                e.has("tls") ? Optional.of(tls(e.object("tls"), gatewayApi)) : gateway.tls().filter(t -> gatewayApi));
    }

    /** A path: a prefix written as it is, or {path, match: prefix | exact}. */
    private static Operations.RoutePath routePath(Node item) {
        if (item instanceof Node.MapNode) {
            Fields p = new Fields(item);
            return new Operations.RoutePath(p.text("path", DEFAULT_PATH), p.enumValue("match", PathMatch.class, PathMatch.prefix) == PathMatch.exact);
        }
        return new Operations.RoutePath(((Node.ScalarNode) item).text(), false);
    }

    private enum PathMatch { prefix, exact }

    /** TLS: a ClusterIssuer; a Certificate is written for Gateway API routes unless said otherwise. */
    static Operations.Tls tls(Fields t, boolean gatewayApi) {
        return new Operations.Tls(t.text("secretName"), t.text("issuer"),
                t.enumValue("issuerKind", Operations.IssuerKind.class, Operations.IssuerKind.ClusterIssuer), t.bool("certificate", gatewayApi));
    }

    /** Autoscaling from 2 to 10 pods; a CPU target of 70% when nothing else is named. */
    private static Operations.Autoscaling autoscaling(Fields a) {
        List<Map<String, Object>> metrics = new ArrayList<>();
        a.items("metrics").forEach(item -> metrics.add(plainMap(item)));
        Optional<Integer> cpu = a.integer("cpu");
        Optional<Integer> memory = a.integer("memory");
        if (cpu.isEmpty() && memory.isEmpty() && metrics.isEmpty() && !a.has("keda")) {
            cpu = Optional.of(DEFAULT_CPU_TARGET);
        }
        Optional<Operations.Keda> keda = Optional.empty();
        if (a.has("keda")) {
            Fields k = a.object("keda");
            List<Map<String, Object>> triggers = new ArrayList<>();
            k.items("triggers").forEach(item -> triggers.add(plainMap(item)));
            keda = Optional.of(new Operations.Keda(List.copyOf(triggers), k.integer("pollingInterval"), k.integer("cooldownPeriod")));
        }
        return new Operations.Autoscaling(a.integer("minReplicas", DEFAULT_MIN_REPLICAS), a.integer("maxReplicas", DEFAULT_MAX_REPLICAS),
                cpu, memory, List.copyOf(metrics), a.node("behavior").map(OperationsBinder::plainMap).orElse(Map.of()), keda,
                a.text("vpa", "off").equals("recommend"));
    }

    /** Metrics on the port named, else the port named metrics (none without); /metrics every 30 s. */
    private static Optional<Operations.Metrics> metrics(Fields m, List<Service.Port> ports) {
        Optional<Service.Port> port = port(m, "port", ports)
                .or(() -> ports.stream().filter(p -> p.name().equals(DEFAULT_METRICS_PORT)).findFirst());
        if (port.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Operations.Metrics(port.get(), m.text("path", DEFAULT_METRICS_PATH), m.text("interval", DEFAULT_SCRAPE_INTERVAL),
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
