package dev.castle.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One service of the system with every default resolved (by {@link ServiceBinder}, in one pass),
 * grouped as a chart maintainer thinks of it: the container, its network, its configuration, its
 * volumes, where and how many pods run, the pod's identity, batch settings, whom it calls, how it is
 * operated, its canary, its versions. {@link #declared()} keeps what the user wrote, for the rules.
 */
public record Service(
        String name,
        String description,
        WorkloadKind workload,
        String component,
        Container container,
        Networking network,
        Configuration configuration,
        List<Volume> volumes,
        Scheduling scheduling,
        PodMetadata pod,
        Optional<JobSettings> job,
        List<Dependency> dependsOn,
        Operations operations,
        Optional<Canary> canary,
        Companions companions,
        Declared declared,
        Optional<Versions> versions) {

    public Service {
        volumes = List.copyOf(volumes);
        dependsOn = List.copyOf(dependsOn);
    }

    /**
     * Containers beside the service's own: sidecars (Kubernetes native sidecars, running as long as
     * the pod) and init containers (each run to completion before the service starts), in order.
     */
    public record Companions(List<Companion> sidecars, List<Companion> initContainers) {
        public Companions {
            sidecars = List.copyOf(sidecars);
            initContainers = List.copyOf(initContainers);
        }

        public static Companions none() {
            return new Companions(List.of(), List.of());
        }
    }

    /**
     * A sidecar or init container, hardened like the service's own container: its image, command,
     * environment, resources, probes (sidecars with ports), the service's volumes it mounts (volume
     * name to mount), and its security context.
     */
    public record Companion(String name, Image image, List<String> command, List<String> args, List<EnvVar> env,
                            Resources resources, Probes probes, List<Mount> mounts, Security security) {
        public Companion {
            command = List.copyOf(command);
            args = List.copyOf(args);
            env = List.copyOf(env);
            mounts = List.copyOf(mounts);
        }
    }

    /** One of the service's volumes mounted into a companion. */
    public record Mount(String volume, String mountPath, boolean readOnly, Optional<String> subPath) {
    }

    public enum WorkloadKind { Deployment, StatefulSet, Job, CronJob;
        public boolean isBatch() {
            return this == Job || this == CronJob;
        }
    }

    /** The container: image, command, environment, resources, health checks, lifecycle, security. */
    public record Container(Image image, List<String> imagePullSecrets, List<String> command, List<String> args,
                            List<EnvVar> env, Resources resources, Probes probes, Lifecycle lifecycle, Security security) {
        public Container {
            imagePullSecrets = List.copyOf(imagePullSecrets);
            command = List.copyOf(command);
            args = List.copyOf(args);
            env = List.copyOf(env);
        }
    }

    /**
     * The container ports, the Service in front of them, the external destinations the pods reach,
     * and further Services in front of the same pods.
     */
    public record Networking(List<Port> ports, ServiceExposure service, List<Egress> egress, List<ExtraService> extraServices) {
        public Networking {
            ports = List.copyOf(ports);
            egress = List.copyOf(egress);
            extraServices = List.copyOf(extraServices);
        }
    }

    /** The service's own ConfigMap, the existing Secrets it uses, and the system's shared configuration it reads. */
    public record Configuration(Optional<Config> config, List<SecretRef> secrets, List<SharedConfigUse> shared) {
        public Configuration {
            secrets = List.copyOf(secrets);
            shared = List.copyOf(shared);
        }
    }

    /**
     * A shared configuration ({@code config.<name>}) the pods read: its keys as variables, and/or
     * mounted as files in a folder, and/or single keys mounted as one file each ({@code mounts}: key
     * to absolute path, a subPath mount).
     */
    public record SharedConfigUse(String name, boolean envFrom, Optional<String> mountPath, Map<String, String> mounts) {
        public SharedConfigUse {
            mounts = java.util.Collections.unmodifiableMap(new TreeMap<>(mounts));
        }
    }

    /** How many pods, where they run, and how many may be disrupted at once. */
    public record Scheduling(int replicas, Placement placement, Optional<DisruptionBudget> disruptionBudget, Rollout rollout) {
    }

    /**
     * How new pods replace old ones: a rolling update with a surge and a number or share that may be
     * unavailable (Deployment), or all at once ({@code recreate}); the seconds a new pod must stay
     * ready before it counts, the seconds a Deployment may take before it is reported as failed,
     * the old revisions kept, and a StatefulSet's partition. Surge and unavailable are an integer or
     * a percentage, as Kubernetes takes them.
     */
    public record Rollout(boolean recreate, Object maxSurge, Object maxUnavailable, int minReadySeconds,
                          int progressDeadlineSeconds, int revisionHistoryLimit, int partition) {
        /** The surge for {@code pods} pods, as the Deployment controller computes it (a percentage rounded up). */
        public long surge(long pods) {
            if (recreate) {
                return 0;
            }
            if (maxSurge instanceof String percent && percent.endsWith("%")) {
                long p = Long.parseLong(percent.substring(0, percent.length() - 1));
                return (pods * p + 99) / 100;
            }
            return ((Number) maxSurge).longValue();
        }
    }

    /** The pod's identity and extra metadata (never used in selectors). */
    public record PodMetadata(ServiceAccount serviceAccount, Map<String, String> annotations, Map<String, String> labels) {
    }

    public record Image(String registry, String repository, String tag, String digest, PullPolicy pullPolicy) {
        public static final String DEFAULT_REGISTRY = "docker.io";
        public static final PullPolicy DEFAULT_PULL_POLICY = PullPolicy.IfNotPresent;

        /** registry/repository:tag@digest, as the kubelet pulls it. */
        public String reference() {
            return registry + "/" + repository + (tag.isEmpty() ? "" : ":" + tag) + (digest.isEmpty() ? "" : "@" + digest);
        }

        /**
         * Splits {@code [registry/]repository[:tag][@digest]} as Docker does: {@code docker.io} when
         * the first part names no host, and {@code library/} for its official images.
         */
        public static Image parse(String reference) {
            String rest = reference;
            String digest = "";
            int at = rest.indexOf('@');
            if (at >= 0) {
                digest = rest.substring(at + 1);
                rest = rest.substring(0, at);
            }
            String tag = "";
            int colon = rest.lastIndexOf(':');
            if (colon > rest.lastIndexOf('/')) {
                tag = rest.substring(colon + 1);
                rest = rest.substring(0, colon);
            }
            String registry = DEFAULT_REGISTRY;
            int slash = rest.indexOf('/');
            if (slash > 0) {
                String first = rest.substring(0, slash);
                if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                    registry = first;
                    rest = rest.substring(slash + 1);
                }
            }
            if (registry.equals(DEFAULT_REGISTRY) && !rest.contains("/") && !rest.isEmpty()) {
                rest = "library/" + rest;
            }
            return new Image(registry, rest, tag, digest, DEFAULT_PULL_POLICY);
        }

        public Image withTag(String newTag) {
            return new Image(registry, repository, newTag, "", pullPolicy);
        }

        public Image withDigest(String newDigest) {
            return new Image(registry, repository, tag, newDigest, pullPolicy);
        }
    }

    public enum PullPolicy { IfNotPresent, Always, Never }

    public enum Protocol { TCP, UDP, SCTP }

    /** A port of the pod: of the service's own container, or of a sidecar ({@code container}, empty for the service's). */
    public record Port(String name, int port, int servicePort, Protocol protocol, String appProtocol,
                       Optional<Integer> nodePort, boolean exposed, String container) {
        public boolean main() {
            return container.isEmpty();
        }

        public boolean isGrpc() {
            return appProtocol.equals("grpc") || appProtocol.equals("h2c") && name.startsWith("grpc") || name.startsWith("grpc");
        }

        public boolean isHttp() {
            return !isGrpc() && (appProtocol.startsWith("http") || name.startsWith("http") || name.equals("web")
                    || name.equals("metrics"));
        }
    }

    /** Kubernetes Service types; castle's {@code Headless} is a ClusterIP Service with {@code clusterIP: None}. */
    public enum ServiceType { ClusterIP, NodePort, LoadBalancer }

    public enum TrafficPolicy { Cluster, Local }

    /**
     * The Service in front of the pods: none when {@code enabled} is false. {@code name} is its name,
     * with {@code {release}} standing for the release name ({@code {release}-<service>} unless the
     * descriptor names it).
     */
    public record ServiceExposure(boolean enabled, ServiceType type, boolean headless, Map<String, String> annotations,
                                  Optional<TrafficPolicy> externalTrafficPolicy, List<String> loadBalancerSourceRanges, String name) {
        public ServiceExposure {
            loadBalancerSourceRanges = List.copyOf(loadBalancerSourceRanges);
        }

        /** NodePort and LoadBalancer Services take traffic from outside the cluster. */
        public boolean reachableFromOutside() {
            return enabled && (type == ServiceType.NodePort || type == ServiceType.LoadBalancer);
        }
    }

    /** An environment variable: exactly one source. */
    public sealed interface EnvVar permits Literal, ConfigKey, SecretKey, FieldRef, ResourceRef {
        String name();
    }

    /** A literal; {@code notSecret} when the user said a secret-looking name holds no secret. */
    public record Literal(String name, String value, boolean notSecret) implements EnvVar {
        /** The variables its {@code $(NAME)} references name. */
        public List<String> references() {
            return EnvReferences.in(value);
        }
    }

    public record ConfigKey(String name, String key) implements EnvVar {
    }

    public record SecretKey(String name, String secret, String key, boolean optional) implements EnvVar {
    }

    public record FieldRef(String name, String fieldPath) implements EnvVar {
    }

    public record ResourceRef(String name, String resource) implements EnvVar {
    }

    /** The service's ConfigMap: data keys, files (read once, relative to the descriptor), and how the pod sees them. */
    public record Config(Map<String, String> data, Map<String, ConfigFile> files, boolean envFrom,
                         Optional<String> mountPath, Map<String, String> mounts) {
        public Config {
            mounts = java.util.Collections.unmodifiableMap(new TreeMap<>(mounts));
        }

        /** Every key of the config, sorted: data's and files'. */
        public java.util.SortedSet<String> keys() {
            java.util.SortedSet<String> keys = new java.util.TreeSet<>(data.keySet());
            keys.addAll(files.keySet());
            return java.util.Collections.unmodifiableSortedSet(keys);
        }

        /** File name to content, sorted. */
        public Map<String, String> fileContents() {
            Map<String, String> contents = new TreeMap<>();
            files.forEach((key, file) -> contents.put(key, file.content()));
            return java.util.Collections.unmodifiableMap(contents);
        }
    }

    /** A config file as read: its content, or why it could not be used (then the content is empty). */
    public record ConfigFile(String path, String content, long size, Optional<String> problem) {
    }

    /**
     * An existing Secret the pods read: every key as a variable ({@code envFrom}), every key as a file
     * in a folder ({@code mountPath}), and/or single keys as one file each at a path of their own
     * ({@code mounts}: key to absolute path, a read-only subPath mount).
     */
    public record SecretRef(String name, boolean envFrom, Optional<String> mountPath, boolean optional, Map<String, String> mounts) {
        public SecretRef {
            mounts = java.util.Collections.unmodifiableMap(new TreeMap<>(mounts));
        }
    }

    public record Resources(Map<String, String> requests, Map<String, String> limits) {
    }

    /** Liveness, readiness and startup probes; empty when disabled or not applicable. */
    public record Probes(Optional<Probe> liveness, Optional<Probe> readiness, Optional<Probe> startup) {
        public static Probes none() {
            return new Probes(Optional.empty(), Optional.empty(), Optional.empty());
        }
    }

    public record Probe(Handler handler, int initialDelaySeconds, int periodSeconds, int timeoutSeconds,
                        int failureThreshold, int successThreshold) {
    }

    /** What a probe or a lifecycle hook does; probes use the first four, hooks HttpGet, Exec and Sleep. */
    public sealed interface Handler permits HttpGet, TcpSocket, GrpcCheck, Exec, Sleep {
    }

    public enum Scheme { HTTP, HTTPS }

    public record HttpGet(String path, PortRef port, Optional<Scheme> scheme, Map<String, String> headers) implements Handler {
    }

    public record TcpSocket(PortRef port) implements Handler {
    }

    /** A gRPC health check on the port written (a name or a number) and its number, which Kubernetes takes (0: no such port). */
    public record GrpcCheck(PortRef port, int portNumber, Optional<String> service) implements Handler {
    }

    public record Exec(List<String> command) implements Handler {
        public Exec {
            command = List.copyOf(command);
        }
    }

    public record Sleep(int seconds) implements Handler {
    }

    /** A port by name (of this service) or by number, as Kubernetes' IntOrString. */
    public sealed interface PortRef permits PortName, PortNumber {
        static PortRef of(Object nameOrNumber) {
            return nameOrNumber instanceof Integer number ? new PortNumber(number) : new PortName(String.valueOf(nameOrNumber));
        }

        /** The name or the number, as Kubernetes writes it. */
        Object value();
    }

    public record PortName(String name) implements PortRef {
        @Override
        public Object value() {
            return name;
        }
    }

    public record PortNumber(int number) implements PortRef {
        @Override
        public Object value() {
            return number;
        }
    }

    /** Container lifecycle hooks. */
    public record Lifecycle(Optional<Handler> postStart, Optional<Handler> preStop, int terminationGracePeriodSeconds) {
    }

    public enum SeccompProfile { RuntimeDefault, Unconfined }

    public record Security(long runAsUser, long runAsGroup, long fsGroup, boolean runAsNonRoot,
                           boolean readOnlyRootFilesystem, boolean allowPrivilegeEscalation,
                           List<String> addCapabilities, SeccompProfile seccompProfile) {
        public Security {
            addCapabilities = List.copyOf(addCapabilities);
        }
    }

    /**
     * The pods' ServiceAccount: the service's own, or ({@code shared}) one of the system's
     * {@code serviceAccounts}, whose token setting it then has.
     */
    public record ServiceAccount(boolean create, Optional<String> name, Map<String, String> annotations,
                                 boolean automountToken, Optional<String> shared) {
    }

    public enum AntiAffinity { none, soft, hard }

    public enum TaintEffect { NoSchedule, PreferNoSchedule, NoExecute }

    public enum TolerationOperator { Exists, Equal }

    public record Toleration(Optional<String> key, Optional<TolerationOperator> operator, Optional<String> value,
                             Optional<TaintEffect> effect, Optional<Integer> tolerationSeconds) {
    }

    public record Placement(Map<String, String> nodeSelector, List<Toleration> tolerations,
                            AntiAffinity antiAffinity, List<TopologySpread> topologySpread, Optional<String> pool,
                            List<String> colocateWith, List<String> separateFrom, Optional<String> priorityClass) {
        public Placement {
            tolerations = List.copyOf(tolerations);
            topologySpread = List.copyOf(topologySpread);
            colocateWith = List.copyOf(colocateWith);
            separateFrom = List.copyOf(separateFrom);
        }
    }

    public enum WhenUnsatisfiable { ScheduleAnyway, DoNotSchedule }

    public record TopologySpread(String topologyKey, int maxSkew, WhenUnsatisfiable whenUnsatisfiable) {
    }

    /** Exactly one of minAvailable and maxUnavailable, as an int or a percentage string. */
    public record DisruptionBudget(Optional<Object> minAvailable, Optional<Object> maxUnavailable) {
    }

    public sealed interface VolumeSource permits EmptyDir, Claim, Persistent {
    }

    public enum Medium {
        disk(""), Memory("Memory");

        private final String value;

        Medium(String value) {
            this.value = value;
        }

        /** As Kubernetes writes it: empty for the node's disk. */
        public String value() {
            return value;
        }
    }

    public record EmptyDir(Medium medium, Optional<String> sizeLimit) implements VolumeSource {
    }

    public record Claim(String claimName) implements VolumeSource {
    }

    public enum AccessMode { ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod }

    public record Persistent(String size, Optional<String> storageClass, List<AccessMode> accessModes) implements VolumeSource {
        public Persistent {
            accessModes = List.copyOf(accessModes);
        }

        /** Whether pods on different nodes can mount it at once. */
        public boolean shared() {
            return accessModes.contains(AccessMode.ReadWriteMany) || accessModes.contains(AccessMode.ReadOnlyMany);
        }
    }

    public record Volume(String name, String mountPath, boolean readOnly, Optional<String> subPath, VolumeSource source) {
        /** The mount path as the container runtime sees it: '.', '..', repeated and trailing slashes resolved ({@code /etc/../tmp/} is {@code /tmp}). */
        public static String normalized(String path) {
            java.util.Deque<String> parts = new java.util.ArrayDeque<>();
            for (String part : path.split("/")) {
                if (part.equals("..")) {
                    parts.pollLast();
                } else if (!part.isEmpty() && !part.equals(".")) {
                    parts.addLast(part);
                }
            }
            return "/" + String.join("/", parts);
        }
    }

    public enum RestartPolicy { OnFailure, Never }

    public enum ConcurrencyPolicy { Allow, Forbid, Replace }

    public record JobSettings(Optional<String> schedule, Optional<String> timeZone, int backoffLimit,
                              Optional<Integer> activeDeadlineSeconds, int ttlSecondsAfterFinished,
                              Optional<Integer> parallelism, Optional<Integer> completions, RestartPolicy restartPolicy,
                              ConcurrencyPolicy concurrencyPolicy, int startingDeadlineSeconds, int successfulJobsHistoryLimit,
                              int failedJobsHistoryLimit, boolean suspend) {
    }

    public List<Port> ports() {
        return network.ports();
    }

    /** How an image changes (its digest pinned, for one), told where the descriptor names it and what runs it. */
    @FunctionalInterface
    public interface ImageChange {
        Image apply(String pointer, String what, Image image);
    }

    /**
     * The same service with each of its images changed, in this order: its own, its canary's, its
     * versions', its hooks', its sidecars' and init containers'. The one place that knows every image
     * of a service.
     */
    public Service withImages(ImageChange change) {
        Container c = container;
        Image own = change.apply(declared.at("image"), "the image of '" + name + "'", c.image());
        Optional<Canary> newCanary = canary.map(k -> new Canary(k.strategy(), change.apply(declared.at(declared.has("canary/image") ? "canary/image" : "image"),
                "the canary image of '" + name + "'", k.image()), k.env(), k.configData(), k.weight(), k.replicas(), k.header(), k.cookie(), k.router(),
                k.steps(), k.analysis()));
        Optional<Versions> newVersions = versions.map(v -> new Versions(v.routing(), v.versions().stream().map(version -> new Versions.Version(version.name(),
                change.apply(declared.at(declared.has("versions/" + version.name() + "/image") ? "versions/" + version.name() + "/image" : "image"),
                        "the image of version '" + version.name() + "' of '" + name + "'", version.image()),
                version.env(), version.replicas(), version.weight(), version.headers(), version.calls())).toList()));
        Operations o = operations;
        List<Operations.Hook> hooks = o.hooks().stream().map(h -> new Operations.Hook(h.name(), h.when(),
                change.apply(declared.at(declared.has("hooks/" + h.name() + "/image") ? "hooks/" + h.name() + "/image" : "image"),
                        "the image of the hook '" + h.name() + "' of '" + name + "'", h.image()),
                h.command(), h.args(), h.weight(), h.backoffLimit(), h.activeDeadlineSeconds(), h.ttlSecondsAfterFinished())).toList();
        java.util.function.BiFunction<String, Companion, Companion> companion = (kind, k) -> new Companion(k.name(),
                change.apply(declared.at(kind + "/" + k.name() + "/image"), "the image of the " + (kind.equals("sidecars") ? "sidecar '" : "init container '")
                        + k.name() + "' of '" + name + "'", k.image()), k.command(), k.args(), k.env(), k.resources(), k.probes(), k.mounts(), k.security());
        Companions newCompanions = new Companions(companions.sidecars().stream().map(k -> companion.apply("sidecars", k)).toList(),
                companions.initContainers().stream().map(k -> companion.apply("initContainers", k)).toList());
        return new Service(name, description, workload, component, new Container(own, c.imagePullSecrets(), c.command(), c.args(), c.env(),
                c.resources(), c.probes(), c.lifecycle(), c.security()), network, configuration, volumes, scheduling, pod, job, dependsOn,
                new Operations(o.expose(), o.autoscaling(), o.metrics(), o.alerts(), o.tracing(), o.logging(), hooks), newCanary, newCompanions,
                declared, newVersions);
    }

    /** The first port of the service's own container: probe defaults derive from it. */
    public Optional<Port> mainPort() {
        return network.ports().stream().filter(Port::main).findFirst();
    }

    /** The port callers use by default: the first one the Service carries (the service's own before its sidecars'). */
    public Optional<Port> firstExposedPort() {
        return network.ports().stream().filter(Port::exposed).findFirst();
    }

    /** The ports of the service's own container. */
    public List<Port> mainPorts() {
        return network.ports().stream().filter(Port::main).toList();
    }

    /** Whether a Service is written for it: enabled, with at least one port on it. */
    public boolean hasService() {
        return network.service().enabled() && network.ports().stream().anyMatch(Port::exposed);
    }

    /**
     * The tracing component of the release this service sends its spans to (observability.tracing.backend,
     * while its tracing is on): an edge of the graph beside its dependencies, on the OTLP port.
     */
    public Optional<Operations.TracingBackend> tracesTo() {
        return operations.tracing().enabled() ? operations.tracing().backend() : Optional.empty();
    }

    /**
     * A variable castle sets in the container besides the service's env: what sets it (tracing, logs,
     * a dependency) and the variables its value references.
     */
    public record InjectedVar(String name, String source, List<String> references) {
    }

    /**
     * The variables castle sets in the container (what the library's castle-common.envDict writes):
     * tracing's while it is on, the logs', and each dependency's address and credentials.
     */
    public List<InjectedVar> injectedEnv() {
        List<InjectedVar> vars = new java.util.ArrayList<>();
        if (operations.tracing().enabled()) {
            Operations.Tracing.VARIABLES.forEach((name, references) -> vars.add(new InjectedVar(name, "tracing", references)));
        }
        Operations.Logging.VARIABLES.forEach(name -> vars.add(new InjectedVar(name, "logs", List.of())));
        for (Dependency d : dependsOn) {
            String source = "the dependency on '" + d.name() + "'";
            d.textVariables().forEach((name, text) -> vars.add(new InjectedVar(name, source, EnvReferences.in(text))));
            d.credentials().ifPresent(c -> c.keys().keySet().stream().sorted()
                    .forEach(name -> vars.add(new InjectedVar(name, source, List.of()))));
        }
        return List.copyOf(vars);
    }

    /** The most pods the workload runs at once (the autoscaler's maximum when it autoscales). */
    public int maxReplicas() {
        return operations.autoscaling().map(Operations.Autoscaling::maxReplicas).orElse(scheduling.replicas());
    }
}
