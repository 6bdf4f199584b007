package dev.castle.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.castle.load.Node;
import dev.castle.model.Service.WorkloadKind;
import dev.castle.validate.Quantity;

/**
 * Binds a validated descriptor tree into the immutable model, resolving every default in one
 * place. Templates never decide a default: what they need is here.
 */
public final class ModelBinder {
    public static final String DEFAULT_REGISTRY = dev.castle.validate.ImageParts.DEFAULT_REGISTRY;
    public static final long DEFAULT_USER = 10001;
    public static final int DEFAULT_PRESTOP_SLEEP = 5;
    public static final int DEFAULT_GRACE_PERIOD = 30;
    public static final String LIVENESS_PATH = "/healthz";
    public static final String READINESS_PATH = "/readyz";

    private final Path baseDir;

    /** @param baseDir folder of the descriptor; config files are read relative to it */
    public ModelBinder(Path baseDir) {
        this.baseDir = baseDir;
    }

    public SystemModel bind(Node root) {
        String system = new Fields(root).object("metadata").text("name", "");
        List<SystemModel.Environment> environments = new ArrayList<>();
        if (root instanceof Node.MapNode map) {
            Fields envs = new Fields(root).object("environments");
            for (String name : dev.castle.validate.EnvironmentMerge.names(map)) {
                SystemModel model = bindOne(dev.castle.validate.EnvironmentMerge.apply(map, name), List.of());
                String namespace = envs.object(name).text("namespace", system + "-" + name);
                environments.add(new SystemModel.Environment(name, namespace, model,
                        dev.castle.validate.EnvironmentMerge.disabled(map, name)));
            }
        }
        return bindOne(root, environments);
    }

    private SystemModel bindOne(Node root, List<SystemModel.Environment> environments) {
        Fields doc = new Fields(root);
        Fields meta = doc.object("metadata");
        String version = meta.text("version", "0.1.0");
        List<Map<String, String>> maintainers = new ArrayList<>();
        meta.node("maintainers").filter(Node.ListNode.class::isInstance).ifPresent(list -> ((Node.ListNode) list).items()
                .forEach(item -> {
                    Fields m = new Fields(item);
                    Map<String, String> maintainer = new LinkedHashMap<>();
                    for (String key : List.of("name", "email", "url")) {
                        m.text(key).ifPresent(v -> maintainer.put(key, v));
                    }
                    maintainers.add(maintainer);
                }));
        SystemModel.ChartInfo chart = new SystemModel.ChartInfo(List.copyOf(maintainers), meta.text("home"),
                meta.strings("sources"), meta.text("icon"), meta.strings("keywords"), meta.stringMap("annotations"));
        SystemModel.Metadata metadata = new SystemModel.Metadata(meta.text("name", ""), version,
                meta.text("appVersion", version), meta.text("description", ""), chart);
        List<Infrastructure> infrastructure = new ArrayList<>();
        new TreeMap<>(doc.entries("infrastructure")).forEach((name, node) ->
                infrastructure.add(InfrastructureBinder.bind(name, new Fields(node))));
        SystemModel.Gateway gateway = OperationsBinder.gateway(metadata.name(), doc.object("gateway"));
        SystemModel.Observability observability = OperationsBinder.observability(doc.object("observability"));
        OperationsBinder.Defaults defaults = new OperationsBinder.Defaults(gateway, doc.object("observability").object("tracing"),
                doc.object("observability").object("logs"));
        List<Service> unresolved = new ArrayList<>();
        new TreeMap<>(doc.entries("services")).forEach((name, node) -> unresolved.add(service(name, new Fields(node), defaults)));
        List<Service> services = new ArrayList<>();
        for (Service service : unresolved) {
            Node dependsOn = new Fields(doc.entries("services").get(service.name())).node("dependsOn").orElse(null);
            services.add(service.withDependsOn(DependencyResolver.resolve(dependsOn, unresolved, infrastructure)));
        }
        Fields network = doc.object("network");
        Fields namespace = doc.object("namespace");
        return new SystemModel(metadata, services, infrastructure,
                new SystemModel.Network(network.bool("policies", true), network.text("ingressNamespace", "ingress-nginx"),
                        network.text("monitoringNamespace", "monitoring"), network.text("dnsNamespace", "kube-system")),
                new SystemModel.NamespaceSettings(namespace.bool("quota", true), namespace.integer("headroomPercent", 25)),
                gateway, observability, environments);
    }

    private Service service(String name, Fields s, OperationsBinder.Defaults defaults) {
        WorkloadKind workload = WorkloadKind.valueOf(s.text("workload", "Deployment"));
        List<Service.Port> ports = ports(s);
        boolean batch = workload.isBatch();
        int replicas = batch ? 1 : s.has("autoscaling") ? s.object("autoscaling").integer("minReplicas", 2) : s.integer("replicas", 2);
        String component = s.text("component", switch (workload) {
            case Job -> "job";
            case CronJob -> "cronjob";
            default -> ports.isEmpty() ? "worker" : "server";
        });
        Service.Security security = security(s.object("securityContext"));
        return new Service(name, s.text("description", ""), workload, component, image(s), s.strings("imagePullSecrets"),
                s.strings("command"), s.strings("args"), ports, exposure(s.object("service"), ports, s.object("expose").text("via", "")),
                env(s), config(name, s.object("config")), secrets(s), replicas, resources(s.object("resources"), "100m", "128Mi"),
                batch ? new Service.Probes(Optional.empty(), Optional.empty(), Optional.empty()) : probes(s.object("probes"), ports),
                lifecycle(s.object("lifecycle"), ports, batch), security, serviceAccount(s.object("serviceAccount")),
                placement(s.object("placement"), replicas, batch), disruptionBudget(s, replicas, batch),
                volumes(s), job(s, workload), s.stringMap("podAnnotations"), s.stringMap("podLabels"), List.of(),
                OperationsBinder.bind(name, s, ports, workload, defaults), CanaryBinder.bind(s, image(s)));
    }

    static Service.Image image(Fields s) {
        Node node = s.node("image").orElseThrow();
        if (node instanceof Node.ScalarNode scalar) {
            return ImageReference.parse(scalar.text());
        }
        Fields image = new Fields(node);
        return new Service.Image(image.text("registry", DEFAULT_REGISTRY), image.text("repository", ""),
                image.text("tag", ""), image.text("digest", ""), image.text("pullPolicy", "IfNotPresent"));
    }

    private static List<Service.Port> ports(Fields s) {
        List<Service.Port> ports = new ArrayList<>();
        s.entries("ports").forEach((name, node) -> {
            if (node instanceof Node.ScalarNode scalar) {
                int port = dev.castle.validate.Scalars.integral(scalar).intValueExact();
                ports.add(new Service.Port(name, port, port, "TCP", "", Optional.empty(), true));
            } else {
                Fields p = new Fields(node);
                int port = p.integer("port", 0);
                ports.add(new Service.Port(name, port, p.integer("servicePort", port), p.text("protocol", "TCP"),
                        p.text("appProtocol", ""), p.integer("nodePort"), p.bool("expose", true)));
            }
        });
        return List.copyOf(ports);
    }

    private static Service.ServiceExposure exposure(Fields s, List<Service.Port> ports, String via) {
        String defaultType = switch (via) {
            case "loadBalancer" -> "LoadBalancer";
            case "nodePort" -> "NodePort";
            default -> ports.isEmpty() ? "None" : "ClusterIP";
        };
        String type = s.text("type", defaultType);
        return new Service.ServiceExposure(type, s.stringMap("annotations"), s.text("externalTrafficPolicy", ""),
                s.strings("loadBalancerSourceRanges"));
    }

    private static List<Service.EnvVar> env(Fields s) {
        List<Service.EnvVar> env = new ArrayList<>();
        new TreeMap<>(s.entries("env")).forEach((name, node) -> {
            if (node instanceof Node.ScalarNode scalar) {
                env.add(new Service.Literal(name, scalar.text()));
                return;
            }
            Fields e = new Fields(node);
            if (e.has("value")) {
                env.add(new Service.Literal(name, e.text("value", "")));
            } else if (e.has("config")) {
                env.add(new Service.ConfigKey(name, e.text("config", "")));
            } else if (e.has("secret")) {
                env.add(new Service.SecretKey(name, e.text("secret", ""), e.text("key", ""), e.bool("optional", false)));
            } else if (e.has("field")) {
                env.add(new Service.FieldRef(name, e.text("field", "")));
            } else {
                env.add(new Service.ResourceRef(name, e.text("resource", "")));
            }
        });
        return List.copyOf(env);
    }

    private Optional<Service.Config> config(String service, Fields c) {
        Map<String, String> data = c.stringMap("data");
        Map<String, String> files = new TreeMap<>();
        c.stringMap("files").forEach((key, path) -> files.put(key, read(path)));
        if (data.isEmpty() && files.isEmpty()) {
            return Optional.empty();
        }
        boolean envFrom = c.bool("envFrom", !data.isEmpty());
        Optional<String> mountPath = c.text("mountPath").or(() -> files.isEmpty() ? Optional.empty() : Optional.of("/etc/" + service));
        return Optional.of(new Service.Config(data, java.util.Collections.unmodifiableMap(files), envFrom, mountPath));
    }

    private String read(String relative) {
        try {
            return Files.readString(baseDir.resolve(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Service.SecretRef> secrets(Fields s) {
        List<Service.SecretRef> secrets = new ArrayList<>();
        new TreeMap<>(s.entries("secrets")).forEach((name, node) -> {
            Fields r = new Fields(node);
            secrets.add(new Service.SecretRef(name, r.bool("envFrom", !r.has("mountPath")), r.text("mountPath"),
                    r.bool("optional", false)));
        });
        return List.copyOf(secrets);
    }

    static Service.Resources resources(Fields r, String defaultCpu, String defaultMemory) {
        Map<String, String> requests = new TreeMap<>(stringsOf(r.object("requests")));
        requests.putIfAbsent("cpu", defaultCpu);
        requests.putIfAbsent("memory", defaultMemory);
        Map<String, String> limits = new TreeMap<>(stringsOf(r.object("limits")));
        limits.putIfAbsent("cpu", Quantity.cpu(Quantity.parse(requests.get("cpu")).multiply(BigDecimal.valueOf(5))));
        limits.putIfAbsent("memory", Quantity.memory(Quantity.parse(requests.get("memory")).multiply(BigDecimal.valueOf(2))));
        if (requests.containsKey("ephemeral-storage")) {
            limits.putIfAbsent("ephemeral-storage", requests.get("ephemeral-storage"));
        }
        return new Service.Resources(java.util.Collections.unmodifiableMap(requests),
                java.util.Collections.unmodifiableMap(limits));
    }

    private static Map<String, String> stringsOf(Fields f) {
        Map<String, String> values = new TreeMap<>();
        f.entries().keySet().forEach(k -> values.put(k, f.quantity(k).orElse("")));
        return values;
    }

    private static Service.Probes probes(Fields p, List<Service.Port> ports) {
        Optional<Service.Port> main = ports.stream().findFirst();
        Optional<Map<String, Object>> liveness = probe(p, "liveness", ports, main.map(m -> defaultLiveness(m)));
        Optional<Map<String, Object>> readiness = probe(p, "readiness", ports, main.map(m -> defaultReadiness(m)));
        Optional<Map<String, Object>> startup = probe(p, "startup", ports, Optional.empty());
        return new Service.Probes(liveness, readiness, startup);
    }

    private static Map<String, Object> defaultLiveness(Service.Port port) {
        Map<String, Object> probe = new LinkedHashMap<>();
        if (port.isHttp()) {
            probe.put("httpGet", Map.of("path", LIVENESS_PATH, "port", port.name()));
        } else {
            probe.put("tcpSocket", Map.of("port", port.name()));
        }
        probe.putAll(timing("liveness"));
        return probe;
    }

    private static Map<String, Object> defaultReadiness(Service.Port port) {
        Map<String, Object> probe = new LinkedHashMap<>();
        if (port.isGrpc()) {
            probe.put("grpc", Map.of("port", port.port()));
        } else if (port.isHttp()) {
            probe.put("httpGet", Map.of("path", READINESS_PATH, "port", port.name()));
        } else {
            probe.put("tcpSocket", Map.of("port", port.name()));
        }
        probe.putAll(timing("readiness"));
        return probe;
    }

    /** Liveness is slower to give up than readiness, so a busy pod leaves the endpoints before it is killed. */
    private static Map<String, Object> timing(String kind) {
        Map<String, Object> t = new LinkedHashMap<>();
        switch (kind) {
            case "liveness" -> {
                t.put("periodSeconds", 10);
                t.put("timeoutSeconds", 3);
                t.put("failureThreshold", 6);
            }
            case "readiness" -> {
                t.put("periodSeconds", 5);
                t.put("timeoutSeconds", 3);
                t.put("failureThreshold", 3);
            }
            default -> {
                t.put("periodSeconds", 5);
                t.put("timeoutSeconds", 3);
                t.put("failureThreshold", 30);
            }
        }
        t.put("initialDelaySeconds", 0);
        t.put("successThreshold", 1);
        return t;
    }

    private static Optional<Map<String, Object>> probe(Fields probes, String kind, List<Service.Port> ports,
                                                       Optional<Map<String, Object>> fallback) {
        if (probes.isFalse(kind)) {
            return Optional.empty();
        }
        if (!probes.has(kind)) {
            return fallback;
        }
        Fields p = probes.object(kind);
        Map<String, Object> probe = new LinkedHashMap<>();
        String mainPort = ports.isEmpty() ? "" : ports.get(0).name();
        if (p.has("http")) {
            Node http = p.node("http").orElseThrow();
            Map<String, Object> get = new LinkedHashMap<>();
            if (http instanceof Node.ScalarNode path) {
                get.put("path", path.text());
                get.put("port", mainPort);
            } else {
                Fields h = new Fields(http);
                get.put("path", h.text("path", "/"));
                get.put("port", h.intOrString("port").orElse(mainPort));
                h.text("scheme").ifPresent(scheme -> get.put("scheme", scheme));
                Map<String, String> headers = h.stringMap("headers");
                if (!headers.isEmpty()) {
                    List<Map<String, String>> list = new ArrayList<>();
                    headers.forEach((name, value) -> list.add(Map.of("name", name, "value", value)));
                    get.put("httpHeaders", list);
                }
            }
            probe.put("httpGet", get);
        } else if (p.has("tcp")) {
            probe.put("tcpSocket", Map.of("port", p.intOrString("tcp").orElse(mainPort)));
        } else if (p.has("grpc")) {
            Node grpc = p.node("grpc").orElseThrow();
            Map<String, Object> action = new LinkedHashMap<>();
            if (grpc instanceof Node.ScalarNode) {
                action.put("port", portNumber(p.intOrString("grpc").orElseThrow(), ports));
            } else {
                Fields g = new Fields(grpc);
                action.put("port", portNumber(g.intOrString("port").orElse(mainPort), ports));
                g.text("service").ifPresent(service -> action.put("service", service));
            }
            probe.put("grpc", action);
        } else if (p.has("exec")) {
            probe.put("exec", Map.of("command", p.strings("exec")));
        } else if (fallback.isPresent()) {
            fallback.get().forEach((k, v) -> {
                if (!(v instanceof Number)) {
                    probe.put(k, v);
                }
            });
        }
        Map<String, Object> timing = timing(kind);
        for (String key : List.of("periodSeconds", "timeoutSeconds", "failureThreshold", "initialDelaySeconds", "successThreshold")) {
            probe.put(key, p.integer(key).map(Object.class::cast).orElse(timing.get(key)));
        }
        return Optional.of(probe);
    }

    /** gRPC probes take a number; a port name is resolved to its number. */
    private static int portNumber(Object port, List<Service.Port> ports) {
        if (port instanceof Integer number) {
            return number;
        }
        return ports.stream().filter(p -> p.name().equals(port)).findFirst().map(Service.Port::port).orElse(0);
    }

    private static Service.Lifecycle lifecycle(Fields l, List<Service.Port> ports, boolean batch) {
        Optional<Map<String, Object>> preStop;
        if (l.isFalse("preStop")) {
            preStop = Optional.empty();
        } else if (l.has("preStop")) {
            preStop = Optional.of(handler(l.object("preStop")));
        } else if (!ports.isEmpty() && !batch) {
            preStop = Optional.of(Map.of("sleep", Map.of("seconds", DEFAULT_PRESTOP_SLEEP)));
        } else {
            preStop = Optional.empty();
        }
        Optional<Map<String, Object>> postStart = l.has("postStart") && !l.isFalse("postStart")
                ? Optional.of(handler(l.object("postStart"))) : Optional.empty();
        return new Service.Lifecycle(postStart, preStop, l.integer("terminationGracePeriodSeconds", DEFAULT_GRACE_PERIOD));
    }

    private static Map<String, Object> handler(Fields h) {
        if (h.has("exec")) {
            return Map.of("exec", Map.of("command", h.strings("exec")));
        }
        if (h.has("sleep")) {
            return Map.of("sleep", Map.of("seconds", h.integer("sleep", DEFAULT_PRESTOP_SLEEP)));
        }
        Fields http = h.object("http");
        Map<String, Object> get = new LinkedHashMap<>();
        get.put("path", http.text("path", "/"));
        http.intOrString("port").ifPresent(port -> get.put("port", port));
        http.text("scheme").ifPresent(scheme -> get.put("scheme", scheme));
        return Map.of("httpGet", get);
    }

    private static Service.Security security(Fields s) {
        long user = s.longValue("runAsUser").orElse(DEFAULT_USER);
        return new Service.Security(user, s.longValue("runAsGroup").orElse(user == 0 ? 0 : DEFAULT_USER),
                s.longValue("fsGroup").orElse(user == 0 ? 0 : DEFAULT_USER), s.bool("runAsNonRoot", true),
                s.bool("readOnlyRootFilesystem", true), s.bool("allowPrivilegeEscalation", false),
                s.strings("addCapabilities"), s.text("seccompProfile", "RuntimeDefault"));
    }

    private static Service.ServiceAccount serviceAccount(Fields a) {
        return new Service.ServiceAccount(a.bool("create", true), a.text("name"), a.stringMap("annotations"),
                a.bool("automountToken", false));
    }

    private static Service.Placement placement(Fields p, int replicas, boolean batch) {
        Map<String, String> nodeSelector = new TreeMap<>(p.stringMap("nodeSelector"));
        List<Map<String, Object>> tolerations = new ArrayList<>();
        Optional<String> pool = p.object("pool").text("name");
        pool.ifPresent(name -> {
            Fields poolFields = p.object("pool");
            String label = poolFields.text("nodeLabel", "castle.dev/pool");
            nodeSelector.put(label, name);
            Fields taint = poolFields.object("taint");
            Map<String, Object> toleration = new TreeMap<>();
            toleration.put("key", taint.text("key", label));
            toleration.put("operator", "Equal");
            toleration.put("value", taint.text("value", name));
            toleration.put("effect", taint.text("effect", "NoSchedule"));
            tolerations.add(toleration);
        });
        p.node("tolerations").filter(Node.ListNode.class::isInstance).ifPresent(list -> ((Node.ListNode) list).items()
                .forEach(item -> {
                    Fields t = new Fields(item);
                    Map<String, Object> toleration = new TreeMap<>();
                    for (String key : List.of("key", "operator", "value", "effect")) {
                        t.text(key).ifPresent(v -> toleration.put(key, v));
                    }
                    t.integer("tolerationSeconds").ifPresent(v -> toleration.put("tolerationSeconds", v));
                    tolerations.add(toleration);
                }));
        boolean ha = replicas >= 2 && !batch;
        String antiAffinity = p.text("antiAffinity", ha ? "soft" : "none");
        List<Service.TopologySpread> spread = new ArrayList<>();
        if (p.isFalse("topologySpread")) {
            // explicitly off
        } else if (p.has("topologySpread")) {
            ((Node.ListNode) p.node("topologySpread").orElseThrow()).items().forEach(item -> {
                Fields t = new Fields(item);
                spread.add(new Service.TopologySpread(t.text("topologyKey", ""), t.integer("maxSkew", 1),
                        t.text("whenUnsatisfiable", "ScheduleAnyway")));
            });
        } else if (ha) {
            spread.add(new Service.TopologySpread("topology.kubernetes.io/zone", 1, "ScheduleAnyway"));
        }
        return new Service.Placement(java.util.Collections.unmodifiableMap(nodeSelector), List.copyOf(tolerations), antiAffinity,
                List.copyOf(spread), pool, p.strings("colocateWith"), p.strings("separateFrom"), p.text("priorityClass"));
    }

    private static Optional<Service.DisruptionBudget> disruptionBudget(Fields s, int replicas, boolean batch) {
        if (batch || s.isFalse("disruptionBudget")) {
            return Optional.empty();
        }
        if (s.has("disruptionBudget")) {
            Fields b = s.object("disruptionBudget");
            if (b.has("minAvailable") || b.has("maxUnavailable")) {
                return Optional.of(new Service.DisruptionBudget(b.intOrString("minAvailable"), b.intOrString("maxUnavailable")));
            }
        }
        return replicas >= 2 ? Optional.of(new Service.DisruptionBudget(Optional.empty(), Optional.of(1))) : Optional.empty();
    }

    private static List<Service.Volume> volumes(Fields s) {
        List<Service.Volume> volumes = new ArrayList<>();
        new TreeMap<>(s.entries("volumes")).forEach((name, node) -> {
            Fields v = new Fields(node);
            Service.VolumeSource source;
            if (v.has("claim")) {
                source = new Service.Claim(v.text("claim", ""));
            } else if (v.has("persistent")) {
                Fields p = v.object("persistent");
                List<String> modes = p.strings("accessModes");
                source = new Service.Persistent(p.quantity("size").orElse("1Gi"), p.text("storageClass"),
                        modes.isEmpty() ? List.of("ReadWriteOnce") : modes);
            } else {
                Fields e = v.object("emptyDir");
                source = new Service.EmptyDir(e.text("medium", ""), e.quantity("sizeLimit"));
            }
            volumes.add(new Service.Volume(name, v.text("mountPath", "/"), v.bool("readOnly", false), v.text("subPath"), source));
        });
        boolean tmpMounted = volumes.stream().anyMatch(v -> v.mountPath().equals("/tmp"));
        if (!tmpMounted) {
            volumes.add(0, new Service.Volume("tmp", "/tmp", false, Optional.empty(),
                    new Service.EmptyDir("", Optional.of("256Mi"))));
        }
        return List.copyOf(volumes);
    }

    private static Optional<Service.JobSettings> job(Fields s, WorkloadKind workload) {
        if (!workload.isBatch()) {
            return Optional.empty();
        }
        Fields j = s.object("job");
        return Optional.of(new Service.JobSettings(s.text("schedule"), s.text("timeZone"), j.integer("backoffLimit", 3),
                j.integer("activeDeadlineSeconds"), j.integer("ttlSecondsAfterFinished", 86400), j.integer("parallelism"),
                j.integer("completions"), j.text("restartPolicy", "OnFailure"), j.text("concurrencyPolicy", "Forbid"),
                j.integer("startingDeadlineSeconds", 300), j.integer("successfulJobsHistoryLimit", 3),
                j.integer("failedJobsHistoryLimit", 1), j.bool("suspend", false)));
    }
}
