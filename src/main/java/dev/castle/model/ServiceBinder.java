package dev.castle.model;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.castle.load.ConfigFileReader;
import dev.castle.load.Node;
import dev.castle.model.Service.WorkloadKind;

/**
 * Binds one {@code services.<name>} entry in one pass, deciding each of its defaults here and
 * nowhere else (the defaults of probes and lifecycle are in {@link HandlerBinder}, of exposure,
 * autoscaling and observability in {@link OperationsBinder}, of canaries in {@link CanaryBinder}, of
 * dependencies in {@link DependencyResolver}).
 */
final class ServiceBinder {
    static final WorkloadKind DEFAULT_WORKLOAD = WorkloadKind.Deployment;
    static final String DEFAULT_MAX_SURGE = "25%";
    static final int DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;
    static final int DEFAULT_REVISION_HISTORY_LIMIT = 5;
    static final int DEFAULT_REPLICAS = 2;
    /**
     * From this many pods on (replicas, or the autoscaler's maximum), a workload gets an
     * anti-affinity, a zone spread and a disruption budget.
     */
    static final int HIGH_AVAILABILITY_REPLICAS = 2;
    static final String DEFAULT_CPU_REQUEST = "100m";
    static final String DEFAULT_MEMORY_REQUEST = "128Mi";
    /** Requests of a sidecar or init container that says none (exporters, proxies, a clone: small). */
    static final String COMPANION_CPU_REQUEST = "10m";
    static final String COMPANION_MEMORY_REQUEST = "32Mi";
    static final int CPU_LIMIT_FACTOR = 5;
    static final int MEMORY_LIMIT_FACTOR = 2;
    static final long DEFAULT_USER = 10001;
    static final String DEFAULT_POOL_LABEL = "castle.dev/pool";
    static final String DEFAULT_SPREAD_KEY = "topology.kubernetes.io/zone";
    static final String TMP_SIZE_LIMIT = "256Mi";
    static final String DEFAULT_VOLUME_SIZE = "1Gi";

    private final ConfigFileReader files;
    private final OperationsBinder.Defaults defaults;
    private final DependencyResolver dependencies;
    private final boolean exactServiceNames;

    private final Map<String, SystemModel.SharedServiceAccount> accounts;
    private final Map<String, SystemModel.SharedConfig> sharedConfig;

    ServiceBinder(ConfigFileReader files, OperationsBinder.Defaults defaults, DependencyResolver dependencies, boolean exactServiceNames,
                  Map<String, SystemModel.SharedServiceAccount> accounts, Map<String, SystemModel.SharedConfig> sharedConfig) {
        this.files = files;
        this.defaults = defaults;
        this.dependencies = dependencies;
        this.exactServiceNames = exactServiceNames;
        this.accounts = accounts;
        this.sharedConfig = sharedConfig;
    }

    Service bind(String name, Node entry) {
        Fields s = new Fields(entry);
        String pointer = "/services/" + Node.escapePointerToken(name);
        WorkloadKind workload = workload(s);
        boolean batch = workload.isBatch();
        Service.Networking network = network(s, name, exactServiceNames);
        List<Service.Port> ports = network.ports().stream().filter(Service.Port::main).toList();
        int replicas = batch ? 1 : s.has("autoscaling") ? s.object("autoscaling").integer("minReplicas", OperationsBinder.DEFAULT_MIN_REPLICAS)
                : s.integer("replicas", DEFAULT_REPLICAS);
        Operations operations = OperationsBinder.bind(name, s, ports, workload, defaults);
        Service.Image image = image(s);
        Optional<Versions> versions = Versions.bind(s, image, replicas);
        // with versions, the most pods of one Deployment decide anti-affinity, spread and the budget (which covers every version)
        int mostPods = versions.map(v -> v.versions().stream().mapToInt(Versions.Version::replicas).max().orElse(replicas))
                .orElseGet(() -> operations.autoscaling().map(Operations.Autoscaling::maxReplicas).orElse(replicas));
        boolean highlyAvailable = !batch && mostPods >= HIGH_AVAILABILITY_REPLICAS;
        String component = s.text("component", switch (workload) {
            case Job -> "job";
            case CronJob -> "cronjob";
            default -> ports.isEmpty() ? "worker" : "server";
        });
        Service.Container container = new Service.Container(image, s.strings("imagePullSecrets"), s.strings("command"),
                s.strings("args"), env(s), resources(s.object("resources"), DEFAULT_CPU_REQUEST, DEFAULT_MEMORY_REQUEST),
                batch ? Service.Probes.none() : HandlerBinder.probes(s.object("probes"), ports),
                HandlerBinder.lifecycle(s.object("lifecycle"), ports, batch), security(s.object("securityContext")));
        Service.Companions companions = companions(s, container.security());
        Service.Scheduling scheduling = new Service.Scheduling(replicas, placement(s.object("placement"), highlyAvailable),
                disruptionBudget(s, highlyAvailable, batch), rollout(s.object("rollout")));
        Service.PodMetadata pod = new Service.PodMetadata(serviceAccount(s), s.stringMap("podAnnotations"),
                s.stringMap("podLabels"));
        List<Declared.DependencyRef> declaredDependencies = DependencyResolver.declared(pointer, s);
        return new Service(name, s.text("description", ""), workload, component, container, network,
                new Service.Configuration(config(name, s.object("config")), secrets(s), SharedBinder.uses(s, sharedConfig)), volumes(s), scheduling, pod,
                job(s, workload), dependencies.resolve(name, declaredDependencies), operations,
                CanaryBinder.bind(s, image), companions, DeclaredKeys.declared(pointer, entry, declaredDependencies), versions);
    }

    static WorkloadKind workload(Fields s) {
        return s.enumValue("workload", WorkloadKind.class, DEFAULT_WORKLOAD);
    }

    /** The image: a reference string, or the long form; registry and pull policy defaulted. */
    static Service.Image image(Fields parent) {
        Optional<Node> node = parent.node("image");
        if (node.isEmpty()) {
            return new Service.Image(Service.Image.DEFAULT_REGISTRY, "", "", "", Service.Image.DEFAULT_PULL_POLICY);
        }
        if (node.get() instanceof Node.ScalarNode scalar) {
            return Service.Image.parse(scalar.text());
        }
        Fields image = new Fields(node.get());
        // an accepted latest is pulled at every start, as the kubelet itself defaults for it
        boolean latest = image.text("tag", "").equals("latest") && image.bool("acceptLatest", false) && image.text("digest", "").isEmpty();
        return new Service.Image(image.text("registry", Service.Image.DEFAULT_REGISTRY), image.text("repository", ""),
                image.text("tag", ""), image.text("digest", ""),
                image.enumValue("pullPolicy", Service.PullPolicy.class, latest ? Service.PullPolicy.Always : Service.Image.DEFAULT_PULL_POLICY));
    }

    /**
     * The ports, the Service in front of them (named {@code serviceName}, else the service's own
     * name when the system names its Services exactly, else {@code {release}-<name>}), the external
     * destinations and the extra Services. Also read
     * alone, to resolve the dependencies on this service.
     */
    static Service.Networking network(Fields s, String name, boolean exactServiceNames) {
        List<Service.Port> ports = ports(s);
        String serviceName = s.text("serviceName").orElse(exactServiceNames ? name : "{release}-" + name);
        return new Service.Networking(ports, exposure(s.object("service"), ports, s.object("expose").enumValue("via", Operations.Via.class),
                serviceName), Egress.bind(s), ExtraService.bind(s, ports));
    }

    /** The service's own ports, then its sidecars' (each with its container's name). */
    private static List<Service.Port> ports(Fields s) {
        List<Service.Port> ports = new ArrayList<>(ports(s, ""));
        s.entries("sidecars").forEach((sidecar, node) -> ports.addAll(ports(new Fields(node), sidecar)));
        return List.copyOf(ports);
    }

    private static List<Service.Port> ports(Fields s, String container) {
        List<Service.Port> ports = new ArrayList<>();
        s.entries("ports").forEach((name, node) -> {
            if (node instanceof Node.ScalarNode scalar) {
                Object port = Fields.intOrString(scalar);
                int number = port instanceof Integer i ? i : 0;
                ports.add(new Service.Port(name, number, number, Service.Protocol.TCP, "", Optional.empty(), true, container));
            } else {
                Fields p = new Fields(node);
                int port = p.integer("port", 0);
                ports.add(new Service.Port(name, port, p.integer("servicePort", port),
                        p.enumValue("protocol", Service.Protocol.class, Service.Protocol.TCP),
                        p.text("appProtocol", ""), p.integer("nodePort"), p.bool("expose", true), container));
            }
        });
        return ports;
    }

    /** Sidecars and init containers: the service's security context unless they relax their own; probes from their first port. */
    private static Service.Companions companions(Fields s, Service.Security serviceSecurity) {
        return new Service.Companions(companions(s, "sidecars", serviceSecurity, true), companions(s, "initContainers", serviceSecurity, false));
    }

    private static List<Service.Companion> companions(Fields s, String key, Service.Security serviceSecurity, boolean sidecar) {
        List<Service.Companion> companions = new ArrayList<>();
        s.entries(key).forEach((name, node) -> {
            Fields c = new Fields(node);
            List<Service.Mount> mounts = new ArrayList<>();
            new TreeMap<>(c.entries("mounts")).forEach((volume, mount) -> {
                if (mount instanceof Node.ScalarNode path) {
                    mounts.add(new Service.Mount(volume, path.text(), false, Optional.empty()));
                } else {
                    Fields m = new Fields(mount);
                    mounts.add(new Service.Mount(volume, m.text("mountPath", ""), m.bool("readOnly", false), m.text("subPath")));
                }
            });
            List<Service.Port> own = ports(c, name);
            companions.add(new Service.Companion(name, image(c), c.strings("command"), c.strings("args"), env(c),
                    resources(c.object("resources"), COMPANION_CPU_REQUEST, COMPANION_MEMORY_REQUEST),
                    sidecar ? HandlerBinder.probes(c.object("probes"), own) : Service.Probes.none(), mounts,
                    c.has("securityContext") ? security(c.object("securityContext")) : serviceSecurity));
        });
        return companions;
    }

    /**
     * The Service: ClusterIP with ports, none without; {@code expose.via} loadBalancer or nodePort
     * sets the type; {@code Headless} is a ClusterIP Service without a cluster IP.
     */
    private static Service.ServiceExposure exposure(Fields s, List<Service.Port> ports, Optional<Operations.Via> via, String name) {
        Service.ServiceType defaultType = via.map(v -> switch (v) {
            case loadBalancer -> Service.ServiceType.LoadBalancer;
            case nodePort -> Service.ServiceType.NodePort;
            default -> Service.ServiceType.ClusterIP;
        }).orElse(Service.ServiceType.ClusterIP);
        String written = s.text("type", "");
        boolean enabled = written.isEmpty() ? !ports.isEmpty() : !written.equals("None");
        boolean headless = written.equals("Headless");
        Service.ServiceType type = headless ? Service.ServiceType.ClusterIP
                : Enums.parse(Service.ServiceType.class, written).orElse(defaultType);
        return new Service.ServiceExposure(enabled, type, headless, s.stringMap("annotations"),
                s.enumValue("externalTrafficPolicy", Service.TrafficPolicy.class), s.strings("loadBalancerSourceRanges"), name);
    }

    static List<Service.EnvVar> env(Fields s) {
        List<Service.EnvVar> env = new ArrayList<>();
        new TreeMap<>(s.entries("env")).forEach((name, node) -> {
            if (node instanceof Node.ScalarNode scalar) {
                env.add(new Service.Literal(name, scalar.isNull() ? "" : scalar.text(), false));
                return;
            }
            Fields e = new Fields(node);
            if (e.has("value")) {
                env.add(new Service.Literal(name, e.text("value", ""), e.bool("notSecret", false)));
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

    /**
     * The ConfigMap: {@code envFrom} defaults to true when there is data, {@code mountPath} to
     * {@code /etc/<service>} when there are files that {@code mounts} does not put elsewhere. Files are read here, once, by the one reader.
     */
    private Optional<Service.Config> config(String service, Fields c) {
        Map<String, String> data = c.stringMap("data");
        Map<String, Service.ConfigFile> read = new TreeMap<>();
        c.stringMap("files").forEach((key, path) -> {
            ConfigFileReader.TextFile file = files.read(path);
            read.put(key, new Service.ConfigFile(path, file.text(), file.size(), file.problem()));
        });
        if (data.isEmpty() && read.isEmpty()) {
            return Optional.empty();
        }
        boolean envFrom = c.bool("envFrom", !data.isEmpty());
        Map<String, String> mounts = c.stringMap("mounts");
        Optional<String> mountPath = c.text("mountPath").or(() -> mounts.keySet().containsAll(read.keySet()) ? Optional.empty()
                : Optional.of("/etc/" + service));
        return Optional.of(new Service.Config(data, java.util.Collections.unmodifiableMap(read), envFrom, mountPath, mounts));
    }

    /** A Secret is exposed as environment variables unless it is mounted (as a folder, or key by key). */
    private static List<Service.SecretRef> secrets(Fields s) {
        List<Service.SecretRef> secrets = new ArrayList<>();
        new TreeMap<>(s.entries("secrets")).forEach((name, node) -> {
            Fields r = new Fields(node);
            secrets.add(new Service.SecretRef(name, r.bool("envFrom", !r.has("mountPath") && !r.has("mounts")), r.text("mountPath"),
                    r.bool("optional", false), r.stringMap("mounts")));
        });
        return List.copyOf(secrets);
    }

    /** Requests default to the given ones; limits to 5x the cpu and 2x the memory request, and to the ephemeral-storage request. */
    static Service.Resources resources(Fields r, String defaultCpu, String defaultMemory) {
        Map<String, String> requests = new TreeMap<>(quantities(r.object("requests")));
        requests.putIfAbsent("cpu", defaultCpu);
        requests.putIfAbsent("memory", defaultMemory);
        Map<String, String> limits = new TreeMap<>(quantities(r.object("limits")));
        limits.putIfAbsent("cpu", scaled(requests.get("cpu"), CPU_LIMIT_FACTOR, true));
        limits.putIfAbsent("memory", scaled(requests.get("memory"), MEMORY_LIMIT_FACTOR, false));
        if (requests.containsKey("ephemeral-storage")) {
            limits.putIfAbsent("ephemeral-storage", requests.get("ephemeral-storage"));
        }
        return new Service.Resources(java.util.Collections.unmodifiableMap(requests),
                java.util.Collections.unmodifiableMap(limits));
    }

    private static String scaled(String request, int factor, boolean cpu) {
        if (!Quantity.isValid(request)) {
            return request;
        }
        BigDecimal amount = Quantity.parse(request).multiply(BigDecimal.valueOf(factor));
        return cpu ? Quantity.cpu(amount) : Quantity.memory(amount);
    }

    private static Map<String, String> quantities(Fields f) {
        Map<String, String> values = new TreeMap<>();
        f.entries().keySet().forEach(k -> f.quantity(k).ifPresent(v -> values.put(k, v)));
        return values;
    }

    /** The restricted profile: user and group 10001 (0 when the user runs as root), read-only root, RuntimeDefault seccomp. */
    static Service.Security security(Fields s) {
        long user = s.longValue("runAsUser").orElse(DEFAULT_USER);
        long group = user == 0 ? 0 : DEFAULT_USER;
        return new Service.Security(user, s.longValue("runAsGroup").orElse(group), s.longValue("fsGroup").orElse(group),
                s.bool("runAsNonRoot", true), s.bool("readOnlyRootFilesystem", true), s.bool("allowPrivilegeEscalation", false),
                s.strings("addCapabilities"), s.enumValue("seccompProfile", Service.SeccompProfile.class, Service.SeccompProfile.RuntimeDefault));
    }

    /** The service's own ServiceAccount, or the shared one it names (with that one's token setting; none for an unknown name). */
    private Service.ServiceAccount serviceAccount(Fields s) {
        if (s.node("serviceAccount").orElse(null) instanceof Node.ScalarNode scalar) {
            boolean automount = accounts.getOrDefault(scalar.text(), new SystemModel.SharedServiceAccount(scalar.text(), Map.of(), false))
                    .automountToken();
            return new Service.ServiceAccount(false, Optional.empty(), Map.of(), automount, Optional.of(scalar.text()));
        }
        Fields a = s.object("serviceAccount");
        return new Service.ServiceAccount(a.bool("create", true), a.text("name"), a.stringMap("annotations"),
                a.bool("automountToken", false), Optional.empty());
    }

    /**
     * Placement: a pool's node label and the toleration of its taint; with several pods a soft
     * anti-affinity and a zone spread (skew 1, ScheduleAnyway), unless written otherwise.
     */
    private static Service.Placement placement(Fields p, boolean highlyAvailable) {
        Map<String, String> nodeSelector = new TreeMap<>(p.stringMap("nodeSelector"));
        List<Service.Toleration> tolerations = new ArrayList<>();
        Optional<String> pool = p.object("pool").text("name");
        pool.ifPresent(name -> {
            Fields poolFields = p.object("pool");
            String label = poolFields.text("nodeLabel", DEFAULT_POOL_LABEL);
            nodeSelector.put(label, name);
            Fields taint = poolFields.object("taint");
            tolerations.add(new Service.Toleration(Optional.of(taint.text("key", label)), Optional.of(Service.TolerationOperator.Equal),
                    Optional.of(taint.text("value", name)),
                    Optional.of(taint.enumValue("effect", Service.TaintEffect.class, Service.TaintEffect.NoSchedule)), Optional.empty()));
        });
        for (Node item : p.items("tolerations")) {
            Fields t = new Fields(item);
            tolerations.add(new Service.Toleration(t.text("key"), t.enumValue("operator", Service.TolerationOperator.class),
                    t.text("value"), t.enumValue("effect", Service.TaintEffect.class), t.integer("tolerationSeconds")));
        }
        Service.AntiAffinity antiAffinity = p.enumValue("antiAffinity", Service.AntiAffinity.class,
                highlyAvailable ? Service.AntiAffinity.soft : Service.AntiAffinity.none);
        List<Service.TopologySpread> spread = new ArrayList<>();
        if (p.isFalse("topologySpread")) {
            // explicitly off
        } else if (p.has("topologySpread")) {
            for (Node item : p.items("topologySpread")) {
                Fields t = new Fields(item);
                spread.add(new Service.TopologySpread(t.text("topologyKey", ""), t.integer("maxSkew", 1),
                        t.enumValue("whenUnsatisfiable", Service.WhenUnsatisfiable.class, Service.WhenUnsatisfiable.ScheduleAnyway)));
            }
        } else if (highlyAvailable) {
            spread.add(new Service.TopologySpread(DEFAULT_SPREAD_KEY, 1, Service.WhenUnsatisfiable.ScheduleAnyway));
        }
        return new Service.Placement(java.util.Collections.unmodifiableMap(nodeSelector), tolerations, antiAffinity, spread, pool,
                p.strings("colocateWith"), p.strings("separateFrom"), p.text("priorityClass"));
    }

    /**
     * A rolling update with a surge of 25% and none unavailable (a new pod is ready before an old one
     * goes), five old revisions kept, Kubernetes' 600 s progress deadline, no minimum ready time.
     */
    private static Service.Rollout rollout(Fields r) {
        boolean recreate = r.text("strategy").filter("recreate"::equals).isPresent();
        return new Service.Rollout(recreate, r.intOrString("maxSurge").orElse(DEFAULT_MAX_SURGE),
                r.intOrString("maxUnavailable").orElse(0), r.integer("minReadySeconds", 0),
                r.integer("progressDeadlineSeconds", DEFAULT_PROGRESS_DEADLINE_SECONDS),
                r.integer("revisionHistoryLimit", DEFAULT_REVISION_HISTORY_LIMIT), r.integer("partition", 0));
    }

    /** With several pods, at most one unavailable at a time, unless written otherwise or {@code false}. */
    private static Optional<Service.DisruptionBudget> disruptionBudget(Fields s, boolean highlyAvailable, boolean batch) {
        if (batch || s.isFalse("disruptionBudget")) {
            return Optional.empty();
        }
        Fields b = s.object("disruptionBudget");
        if (b.has("minAvailable") || b.has("maxUnavailable")) {
            return Optional.of(new Service.DisruptionBudget(b.intOrString("minAvailable"), b.intOrString("maxUnavailable")));
        }
        return highlyAvailable ? Optional.of(new Service.DisruptionBudget(Optional.empty(), Optional.of(1))) : Optional.empty();
    }

    /**
     * Volumes by name; a persistent volume defaults to 1Gi ReadWriteOnce; an emptyDir of 256Mi at
     * /tmp comes first unless a volume is mounted there (the root filesystem is read-only).
     */
    private static List<Service.Volume> volumes(Fields s) {
        List<Service.Volume> volumes = new ArrayList<>();
        new TreeMap<>(s.entries("volumes")).forEach((name, node) -> {
            Fields v = new Fields(node);
            Service.VolumeSource source;
            if (v.has("claim")) {
                source = new Service.Claim(v.text("claim", ""));
            } else if (v.has("persistent")) {
                Fields p = v.object("persistent");
                List<Service.AccessMode> modes = p.strings("accessModes").stream()
                        .flatMap(m -> Enums.parse(Service.AccessMode.class, m).stream()).toList();
                source = new Service.Persistent(p.quantity("size").orElse(DEFAULT_VOLUME_SIZE), p.text("storageClass"),
                        modes.isEmpty() ? List.of(Service.AccessMode.ReadWriteOnce) : modes);
            } else {
                Fields e = v.object("emptyDir");
                source = new Service.EmptyDir(e.text("medium").flatMap(m -> Enums.parse(Service.Medium.class, m))
                        .orElse(Service.Medium.disk), e.quantity("sizeLimit"));
            }
            volumes.add(new Service.Volume(name, v.text("mountPath", "/"), v.bool("readOnly", false), v.text("subPath"), source));
        });
        boolean tmpMounted = volumes.stream().anyMatch(v -> Service.Volume.normalized(v.mountPath()).equals("/tmp"));
        if (!tmpMounted) {
            volumes.add(0, new Service.Volume("tmp", "/tmp", false, Optional.empty(),
                    new Service.EmptyDir(Service.Medium.disk, Optional.of(TMP_SIZE_LIMIT))));
        }
        return List.copyOf(volumes);
    }

    /**
     * Batch settings: 3 retries, finished Jobs kept a day, restart on failure; a CronJob forbids
     * overlapping runs, starts at most 300 s late and keeps 3 successful and 1 failed Job.
     */
    private static Optional<Service.JobSettings> job(Fields s, WorkloadKind workload) {
        if (!workload.isBatch()) {
            return Optional.empty();
        }
        Fields j = s.object("job");
        return Optional.of(new Service.JobSettings(s.text("schedule"), s.text("timeZone"), j.integer("backoffLimit", 3),
                j.integer("activeDeadlineSeconds"), j.integer("ttlSecondsAfterFinished", 86400), j.integer("parallelism"),
                j.integer("completions"), j.enumValue("restartPolicy", Service.RestartPolicy.class, Service.RestartPolicy.OnFailure),
                j.enumValue("concurrencyPolicy", Service.ConcurrencyPolicy.class, Service.ConcurrencyPolicy.Forbid),
                j.integer("startingDeadlineSeconds", 300), j.integer("successfulJobsHistoryLimit", 3),
                j.integer("failedJobsHistoryLimit", 1), j.bool("suspend", false)));
    }
}
