package dev.castle.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One service of the system with all defaults resolved; field names follow the descriptor. */
public record Service(
        String name,
        String description,
        WorkloadKind workload,
        String component,
        Image image,
        List<String> imagePullSecrets,
        List<String> command,
        List<String> args,
        List<Port> ports,
        ServiceExposure service,
        List<EnvVar> env,
        Optional<Config> config,
        List<SecretRef> secrets,
        int replicas,
        Resources resources,
        Probes probes,
        Lifecycle lifecycle,
        Security security,
        ServiceAccount serviceAccount,
        Placement placement,
        Optional<DisruptionBudget> disruptionBudget,
        List<Volume> volumes,
        Optional<JobSettings> job,
        Map<String, String> podAnnotations,
        Map<String, String> podLabels,
        List<Dependency> dependsOn,
        Operations operations,
        Optional<Canary> canary) {

    public enum WorkloadKind { Deployment, StatefulSet, Job, CronJob;
        public boolean isBatch() {
            return this == Job || this == CronJob;
        }
    }

    public record Image(String registry, String repository, String tag, String digest, String pullPolicy) {
        /** registry/repository:tag@digest, as the kubelet pulls it. */
        public String reference() {
            return registry + "/" + repository + (tag.isEmpty() ? "" : ":" + tag) + (digest.isEmpty() ? "" : "@" + digest);
        }
    }

    public record Port(String name, int port, int servicePort, String protocol, String appProtocol,
                       Optional<Integer> nodePort, boolean exposed) {
        public boolean isGrpc() {
            return appProtocol.equals("grpc") || appProtocol.equals("h2c") && name.startsWith("grpc") || name.startsWith("grpc");
        }

        public boolean isHttp() {
            return !isGrpc() && (appProtocol.startsWith("http") || name.startsWith("http") || name.equals("web")
                    || name.equals("metrics"));
        }
    }

    /** How the Service is shaped; type None means no Service. */
    public record ServiceExposure(String type, Map<String, String> annotations, String externalTrafficPolicy,
                                  List<String> loadBalancerSourceRanges) {
        public boolean exists() {
            return !type.equals("None");
        }
    }

    /** An environment variable: exactly one source. */
    public sealed interface EnvVar permits Literal, ConfigKey, SecretKey, FieldRef, ResourceRef {
        String name();
    }

    public record Literal(String name, String value) implements EnvVar {
    }

    public record ConfigKey(String name, String key) implements EnvVar {
    }

    public record SecretKey(String name, String secret, String key, boolean optional) implements EnvVar {
    }

    public record FieldRef(String name, String fieldPath) implements EnvVar {
    }

    public record ResourceRef(String name, String resource) implements EnvVar {
    }

    /** The service's ConfigMap: data keys, file contents, and how the pod sees them. */
    public record Config(Map<String, String> data, Map<String, String> files, boolean envFrom,
                         Optional<String> mountPath) {
    }

    public record SecretRef(String name, boolean envFrom, Optional<String> mountPath, boolean optional) {
    }

    public record Resources(Map<String, String> requests, Map<String, String> limits) {
    }

    /** Probes as Kubernetes objects (already in API shape), empty when disabled. */
    public record Probes(Optional<Map<String, Object>> liveness, Optional<Map<String, Object>> readiness,
                         Optional<Map<String, Object>> startup) {
    }

    /** Lifecycle hooks as Kubernetes objects. */
    public record Lifecycle(Optional<Map<String, Object>> postStart, Optional<Map<String, Object>> preStop,
                            int terminationGracePeriodSeconds) {
    }

    public record Security(long runAsUser, long runAsGroup, long fsGroup, boolean runAsNonRoot,
                           boolean readOnlyRootFilesystem, boolean allowPrivilegeEscalation,
                           List<String> addCapabilities, String seccompProfile) {
    }

    public record ServiceAccount(boolean create, Optional<String> name, Map<String, String> annotations,
                                 boolean automountToken) {
    }

    public record Placement(Map<String, String> nodeSelector, List<Map<String, Object>> tolerations,
                            String antiAffinity, List<TopologySpread> topologySpread, Optional<String> pool,
                            List<String> colocateWith, List<String> separateFrom, Optional<String> priorityClass) {
    }

    public record TopologySpread(String topologyKey, int maxSkew, String whenUnsatisfiable) {
    }

    /** Exactly one of minAvailable and maxUnavailable, as an int or a percentage string. */
    public record DisruptionBudget(Optional<Object> minAvailable, Optional<Object> maxUnavailable) {
    }

    public sealed interface VolumeSource permits EmptyDir, Claim, Persistent {
    }

    public record EmptyDir(String medium, Optional<String> sizeLimit) implements VolumeSource {
    }

    public record Claim(String claimName) implements VolumeSource {
    }

    public record Persistent(String size, Optional<String> storageClass, List<String> accessModes) implements VolumeSource {
    }

    public record Volume(String name, String mountPath, boolean readOnly, Optional<String> subPath, VolumeSource source) {
    }

    public record JobSettings(Optional<String> schedule, Optional<String> timeZone, int backoffLimit,
                              Optional<Integer> activeDeadlineSeconds, int ttlSecondsAfterFinished,
                              Optional<Integer> parallelism, Optional<Integer> completions, String restartPolicy,
                              String concurrencyPolicy, int startingDeadlineSeconds, int successfulJobsHistoryLimit,
                              int failedJobsHistoryLimit, boolean suspend) {
    }

    public Optional<Port> mainPort() {
        return ports.stream().findFirst();
    }

    /** The port callers use by default: the first one the Service carries. */
    public Optional<Port> firstExposedPort() {
        return ports.stream().filter(Port::exposed).findFirst();
    }

    public Service withDependsOn(List<Dependency> resolved) {
        return new Service(name, description, workload, component, image, imagePullSecrets, command, args, ports, service,
                env, config, secrets, replicas, resources, probes, lifecycle, security, serviceAccount, placement,
                disruptionBudget, volumes, job, podAnnotations, podLabels, List.copyOf(resolved), operations, canary);
    }

    public boolean hasService() {
        return service.exists() && ports.stream().anyMatch(Port::exposed);
    }
}
