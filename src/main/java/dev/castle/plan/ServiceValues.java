package dev.castle.plan;

import static dev.castle.plan.Schemas.array;
import static dev.castle.plan.Schemas.bool;
import static dev.castle.plan.Schemas.integer;
import static dev.castle.plan.Schemas.object;
import static dev.castle.plan.Schemas.of;
import static dev.castle.plan.Schemas.oneOf;
import static dev.castle.plan.Schemas.string;
import static dev.castle.plan.Schemas.stringMap;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.castle.model.Dependency;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/**
 * Maps one service of the model to its subchart's values: the only way user data reaches a chart.
 * Every value written here is read by a template of the castle-common library; collections a user
 * may change one entry of (ports, env, volumes, secrets, dependencies, hooks, test checks) are maps
 * keyed by name.
 */
final class ServiceValues {
    static final int TEST_USER = 65534;
    static final String IMAGE_REGISTRY = "^$|^[a-zA-Z0-9.-]+(:[0-9]+)?$";
    static final String IMAGE_REPOSITORY = "^[a-z0-9]+([._-]*[a-z0-9]+)*(/[a-z0-9]+([._-]*[a-z0-9]+)*)*$";
    static final String IMAGE_TAG = "^$|^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$";
    static final String IMAGE_DIGEST = "^$|^[a-z0-9]+:[a-f0-9]{32,}$";
    static final String ENV_NAME = "^[-._a-zA-Z][-._a-zA-Z0-9]*$";
    /** A Service's name: a DNS-1035 label (it starts with a letter), or empty for the full name. */
    static final String SERVICE_NAME = "^$|^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$";

    private ServiceValues() {
    }

    /** A Service name the descriptor fixed, or empty for the chart's full name ({@code {release}-<name>}). */
    static String fixedName(String serviceName) {
        return serviceName.startsWith("{release}-") ? "" : serviceName;
    }

    /** Naming and labelling parameters every castle subchart has. */
    static void commonParameters(ChartValues v, SystemModel system, String component, String chart) {
        v.section("Common parameters")
                .param("nameOverride", "", "Replaces the chart name in resource names and the app.kubernetes.io/name label", string(Schemas.DNS_LABEL + "|^$"))
                .param("fullnameOverride", "", "Replaces the whole resource name (default: <release>-<chart>)", string(Schemas.DNS_LABEL + "|^$"))
                .param("component", component, "Value of the app.kubernetes.io/component label", string("^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$"))
                .param("partOf", system.metadata().name(), "Value of the app.kubernetes.io/part-of label", string(Schemas.DNS_LABEL))
                .param("commonLabels", Map.of(), "Labels added to every object of the chart (never to selectors)", stringMap())
                .param("commonAnnotations", SyncWaves.annotations(system, chart), "Annotations added to every object of the chart (an Argo CD "
                        + "sync wave after what the chart's pods wait for at start-up)", stringMap());
    }

    /** image.* of a chart: registry, repository, tag, digest and pull policy. */
    static void image(ChartValues v, String prefix, Service.Image image, String what) {
        v.param(prefix + ".registry", image.registry(), "Registry of " + what + " (global.imageRegistry replaces it)", string(IMAGE_REGISTRY))
                .param(prefix + ".repository", image.repository(), "Repository of " + what, string(IMAGE_REPOSITORY))
                .param(prefix + ".tag", image.tag(), "Tag of " + what + " (latest only where the descriptor accepts it); empty when a digest pins it", string(IMAGE_TAG))
                .param(prefix + ".digest", image.digest(), "Digest of " + what + " (sha256:...), pulled instead of the tag", string(IMAGE_DIGEST))
                .param(prefix + ".pullPolicy", image.pullPolicy().name(), "Pull policy of " + what, oneOf("IfNotPresent", "Always", "Never"));
    }

    /** An image as one value (registry, repository, tag, digest, pullPolicy), for the images users rarely change one part of. */
    static Map<String, Object> imageValue(Service.Image image) {
        return new LinkedHashMap<>(of("registry", image.registry(), "repository", image.repository(), "tag", image.tag(), "digest", image.digest(),
                "pullPolicy", image.pullPolicy().name()));
    }

    static ChartValues forService(SystemModel system, Service s) {
        ChartValues v = new ChartValues();
        boolean batch = s.workload().isBatch();
        commonParameters(v, system, s.component(), s.name());

        v.section("Image parameters");
        image(v, "image", s.container().image(), "the image");
        v.param("imagePullSecrets", s.container().imagePullSecrets(), "Names of existing docker-registry Secrets", array(string()))
                .param("command", s.container().command(), "Overrides the image ENTRYPOINT", array(string()))
                .param("args", s.container().args(), "Overrides the image CMD", array(string()));

        v.section("Workload parameters");
        if (!batch) {
            Service.Rollout rollout = s.scheduling().rollout();
            v.param("replicaCount", s.scheduling().replicas(), "Number of pods (unused while autoscaling or KEDA set them)", integer(0))
                    .param("revisionHistoryLimit", rollout.revisionHistoryLimit(), "Old ReplicaSets or revisions kept for rollbacks", integer(0))
                    .param("minReadySeconds", rollout.minReadySeconds(), "Seconds a new pod must be ready before it counts as available", integer(0));
            if (s.workload() == Service.WorkloadKind.StatefulSet) {
                v.param("updateStrategy", new LinkedHashMap<>(of("type", "RollingUpdate", "rollingUpdate", of("partition", rollout.partition()))),
                                "StatefulSet update strategy in Kubernetes form (RollingUpdate with a partition, or OnDelete)", object())
                        .param("statefulSet.podManagementPolicy", "OrderedReady", "OrderedReady or Parallel", oneOf("OrderedReady", "Parallel"))
                        .param("statefulSet.persistentVolumeClaimRetentionPolicy", new LinkedHashMap<>(of("whenDeleted", "Retain", "whenScaled", "Retain")),
                                "What happens to the claims when the StatefulSet is deleted or scaled down", Schemas.strictObject(of(
                                        "whenDeleted", oneOf("Retain", "Delete"), "whenScaled", oneOf("Retain", "Delete"))));
            } else {
                v.param("updateStrategy", rollout.recreate() ? new LinkedHashMap<>(of("type", "Recreate"))
                                : new LinkedHashMap<>(of("type", "RollingUpdate", "rollingUpdate", of("maxSurge", rollout.maxSurge(),
                                "maxUnavailable", rollout.maxUnavailable()))),
                        "Deployment strategy in Kubernetes form (RollingUpdate with maxSurge and maxUnavailable, or Recreate)",
                        Schemas.strictObject(of("type", oneOf("RollingUpdate", "Recreate"), "rollingUpdate", Schemas.strictObject(of(
                                "maxSurge", Schemas.countOrPercent(), "maxUnavailable", Schemas.countOrPercent())))))
                        .param("progressDeadlineSeconds", rollout.progressDeadlineSeconds(),
                                "Seconds a rollout may make no progress before the Deployment reports it failed", integer(1));
            }
        }
        v.param("enableServiceLinks", false, "Give the pods the docker-link variables of every Service of the namespace", bool());
        v.param("ports", ports(s), "Container ports by name; those with expose: true are on the Service (servicePort defaults to containerPort)", Schemas.mapOf(portSchema()));
        if (!batch && !s.ports().isEmpty()) {
            v.param("service.enabled", s.hasService(), "Create the Service (when a port has expose: true)", bool())
                    .param("service.name", fixedName(s.network().service().name()), "Name of the Service, for clients that expect a fixed host "
                            + "name (empty: <release>-<chart>, the full name)", string(SERVICE_NAME))
                    .param("service.type", s.network().service().type().name(),
                            "Service type", oneOf("ClusterIP", "NodePort", "LoadBalancer"))
                    .param("service.clusterIP", s.network().service().headless() ? "None" : "",
                            "None for a headless Service (DNS names the pods, no virtual IP); empty: allocated", oneOf("", "None"))
                    .param("service.annotations", s.network().service().annotations(), "Service annotations", stringMap())
                    .param("service.externalTrafficPolicy", s.network().service().externalTrafficPolicy().map(Enum::name).orElse(""), "externalTrafficPolicy of NodePort and LoadBalancer Services", oneOf("", "Cluster", "Local"))
                    .param("service.loadBalancerSourceRanges", s.network().service().loadBalancerSourceRanges(), "CIDRs allowed to reach a LoadBalancer", array(string()));
            if (!s.network().extraServices().isEmpty()) {
                v.param("extraServices", ExtraServiceValues.of(s), "Further Services in front of the same pods, by name (<the Service's name>-<name>):"
                        + " {enabled, type, annotations, externalTrafficPolicy, loadBalancerSourceRanges, ports: {<port name>: {port, nodePort}}}",
                        ExtraServiceValues.schema());
            }
            if (s.canary().filter(c -> c.isFlagger() || c.isArgo() || c.strategy() == dev.castle.model.Canary.Strategy.GATEWAY_API).isPresent()) {
                v.param("service.mainPort", s.firstExposedPort().map(Service.Port::name).orElse(""),
                        "The port the canary's routes and Flagger split (a name of ports)", string(Schemas.DNS_LABEL));
            }
        }

        VersionValues.parameters(v, s);
        v.section("Environment and configuration")
                .param("env", env(s), "Environment variables by name: a literal, or {value, dependsOn}, {configKey}, {secretKeyRef}, {fieldRef},"
                        + " {resourceFieldRef}", Schemas.mapOf(envSchema()))
                .param("extraEnv", List.of(), "Further environment variables in Kubernetes form", array(object()))
                .param("extraEnvFrom", List.of(), "Further envFrom sources in Kubernetes form", array(object()));
        Service.Config config = s.configuration().config().orElse(new Service.Config(Map.of(), Map.of(), false, java.util.Optional.empty(), Map.of()));
        v.param("config.data", new TreeMap<>(config.data()), "Keys and values of the service's ConfigMap", Schemas.scalarMap())
                .param("config.files", new TreeMap<>(config.fileContents()), "Files of the service's ConfigMap, file name to content", stringMap())
                .param("config.envFrom", config.envFrom(), "Expose every config key as an environment variable", bool())
                .param("config.mountPath", config.mountPath().orElse(""), "Mount every config key as a file in this folder (empty: not mounted)", string("^$|^/.*"))
                .param("config.mounts", new TreeMap<>(config.mounts()), "Single config keys mounted as a file each, key to absolute file path (subPath)",
                        fileMountsSchema());
        Map<String, Object> secrets = new TreeMap<>();
        for (Service.SecretRef ref : s.configuration().secrets()) {
            Map<String, Object> secret = new LinkedHashMap<>(of("envFrom", ref.envFrom(), "mountPath", ref.mountPath().orElse(""), "optional", ref.optional()));
            if (!ref.mounts().isEmpty()) {
                secret.put("mounts", new TreeMap<>(ref.mounts()));
            }
            secrets.put(ref.name(), secret);
        }
        v.param("secrets", secrets, "Existing Secrets by name: envFrom exposes every key, mountPath mounts them as files, mounts single keys"
                        + " as a file each (key to absolute file path, subPath)",
                Schemas.mapOf(Schemas.strictObject(of("envFrom", bool(), "mountPath", string("^$|^/.*"), "optional", bool(), "mounts", fileMountsSchema()),
                        "envFrom", "mountPath")));
        if (!s.configuration().shared().isEmpty()) {
            Map<String, Object> shared = new TreeMap<>();
            for (Service.SharedConfigUse use : s.configuration().shared()) {
                Map<String, Object> entry = new LinkedHashMap<>(of("envFrom", use.envFrom(), "mountPath", use.mountPath().orElse("")));
                if (!use.mounts().isEmpty()) {
                    entry.put("mounts", new TreeMap<>(use.mounts()));
                }
                shared.put(use.name(), entry);
            }
            v.param("sharedConfig", shared, "The system's shared configuration the pods read (global.sharedConfig, ConfigMap <release>-<name>), by name:"
                    + " envFrom exposes every key, mountPath mounts them as files, mounts single keys as a file each (key to absolute file path, subPath)",
                    Schemas.mapOf(Schemas.strictObject(of("envFrom", bool(), "mountPath", string("^$|^/.*"), "mounts", fileMountsSchema()), "envFrom", "mountPath")));
        }

        v.section("Dependencies")
                .param("dependencies", dependencies(s), "Services and components this service calls, by name: host, port, the variables set"
                        + " from them (env, credentials) and a start-up wait (values.schema.json describes each)",
                        Schemas.mapOf(dependencySchema()));
        v.param("dependencyWait.image", imageValue(system.helpers().tools()), "Image of the init containers that wait for start-up dependencies (needs sh and nc)", imageSchema())
                .param("dependencyWait.periodSeconds", 2, "Seconds between two connection attempts", integer(1))
                .param("dependencyWait.connectTimeoutSeconds", 2, "Seconds one connection attempt may take", integer(1))
                .param("dependencyWait.resources", smallResources(), "Requests and limits of the waiting containers", resourcesSchema())
                .param("dependencyWait.securityContext", helperSecurityContext(), "Security context of the waiting containers (restricted profile)", object());

        v.section("Resources, health and lifecycle")
                .param("resources", resources(s.container().resources()), "Requests and limits of the container", resourcesSchema());
        if (!batch) {
            probe(v, "livenessProbe", "Liveness", s.container().probes().liveness());
            probe(v, "readinessProbe", "Readiness", s.container().probes().readiness());
            probe(v, "startupProbe", "Startup", s.container().probes().startup());
            Map<String, Object> lifecycle = new LinkedHashMap<>();
            s.container().lifecycle().postStart().ifPresent(h -> lifecycle.put("postStart", KubernetesForms.handler(h)));
            s.container().lifecycle().preStop().ifPresent(h -> lifecycle.put("preStop", KubernetesForms.handler(h)));
            v.param("lifecycle", lifecycle, "Container lifecycle hooks in Kubernetes form (the preStop sleep lets in-flight requests finish)", object());
        }
        v.param("terminationGracePeriodSeconds", s.container().lifecycle().terminationGracePeriodSeconds(), "Seconds a pod gets to stop after SIGTERM", integer(0));

        v.section("Security");
        security(v, s.container().security());
        v.param("serviceAccount.create", s.pod().serviceAccount().create(), "Create a ServiceAccount for the service", bool())
                .param("serviceAccount.name", s.pod().serviceAccount().name().orElse(""), "ServiceAccount name (default: the full name when created, else default)", string())
                .param("serviceAccount.annotations", s.pod().serviceAccount().annotations(), "ServiceAccount annotations (workload identity, ...)", stringMap())
                .param("serviceAccount.automountServiceAccountToken", s.pod().serviceAccount().automountToken(), "Mount the API token in the pods", bool());
        s.pod().serviceAccount().shared().ifPresent(shared -> v.param("serviceAccount.shared", shared,
                "A ServiceAccount the parent chart makes for several services (<release>-<name>, values serviceAccounts.<name>); wins over create and name",
                string(Schemas.DNS_LABEL)));

        v.section("Placement");
        Service.Placement p = s.scheduling().placement();
        List<Object> spread = new ArrayList<>();
        for (Service.TopologySpread t : p.topologySpread()) {
            spread.add(new LinkedHashMap<>(of("topologyKey", t.topologyKey(), "maxSkew", t.maxSkew(), "whenUnsatisfiable", t.whenUnsatisfiable().name())));
        }
        v.param("nodeSelector", p.nodeSelector(), "Node labels the pods must run on", stringMap())
                .param("tolerations", KubernetesForms.tolerations(p.tolerations()), "Tolerations in Kubernetes form", array(object()))
                .param("podAntiAffinityPreset", p.antiAffinity().name(), "Keep the service's pods on different nodes: soft, hard or none (ignored when affinity is set)", oneOf("none", "soft", "hard"))
                .param("colocateWith", p.colocateWith(), "Services of the release whose nodes the pods prefer (pod affinity)", array(string(Schemas.DNS_LABEL)))
                .param("separateFrom", p.separateFrom(), "Services of the release whose nodes the pods must avoid (pod anti-affinity)", array(string(Schemas.DNS_LABEL)))
                .param("priorityClassName", p.priorityClass().orElse(""), "An existing PriorityClass of the pods (empty: the cluster default)", string())
                .param("affinity", Map.of(), "Affinity in Kubernetes form; replaces the preset, colocateWith and separateFrom", object())
                .param("topologySpreadConstraints", spread, "Spread of pods across topology domains in Kubernetes form (the label selector is added)",
                        array(Schemas.strictObject(of("topologyKey", string(), "maxSkew", integer(1), "whenUnsatisfiable", oneOf("ScheduleAnyway", "DoNotSchedule"),
                                "minDomains", integer(1), "nodeAffinityPolicy", oneOf("Honor", "Ignore"), "nodeTaintsPolicy", oneOf("Honor", "Ignore")), "topologyKey")));
        if (!batch) {
            Service.DisruptionBudget pdb = s.scheduling().disruptionBudget().orElse(null);
            v.param("podDisruptionBudget.enabled", pdb != null, "Create a PodDisruptionBudget", bool())
                    .param("podDisruptionBudget.minAvailable", pdb == null ? "" : pdb.minAvailable().orElse(""), "Pods that must stay available (number or percentage; empty: use maxUnavailable)", Schemas.intOrPercent())
                    .param("podDisruptionBudget.maxUnavailable", pdb == null ? 1 : pdb.maxUnavailable().orElse(""), "Pods that may be unavailable (number or percentage; used when minAvailable is empty)", Schemas.intOrPercent());
        }

        v.section("Storage")
                .param("volumes", volumes(s), "Volumes by name and where they are mounted: emptyDir, existingClaim, or persistence (a claim castle creates)",
                        Schemas.mapOf(volumeSchema()))
                .param("extraVolumes", List.of(), "Further volumes in Kubernetes form", array(object()))
                .param("extraVolumeMounts", List.of(), "Further volume mounts of the main container in Kubernetes form", array(object()))
                .param("extraContainers", List.of(), "Further containers of the pods in Kubernetes form (sidecars)", array(object()))
                .param("sidecars", companions(s.companions().sidecars(), true), "Native sidecars by name (init containers that run as long as "
                        + "the pod), hardened like the main container; their ports are in ports, with container: <name>", Schemas.mapOf(companionSchema(true)))
                .param("initContainers", companions(s.companions().initContainers(), false), "Init containers by name, run in order after the "
                        + "dependency waits and the sidecars' start, hardened like the main container", Schemas.mapOf(companionSchema(false)))
                .param("extraInitContainers", List.of(), "Further init containers in Kubernetes form, after the dependency waits", array(object()));

        s.job().ifPresent(job -> {
            v.section("Job parameters")
                    .param("job.backoffLimit", job.backoffLimit(), "Retries before the Job fails", integer(0))
                    .param("job.activeDeadlineSeconds", job.activeDeadlineSeconds().orElse(0), "Seconds the Job may run (0: no limit)", integer(0))
                    .param("job.ttlSecondsAfterFinished", job.ttlSecondsAfterFinished(), "Seconds a finished Job is kept", integer(0))
                    .param("job.parallelism", job.parallelism().orElse(1), "Pods run at once", integer(1))
                    .param("job.completions", job.completions().orElse(1), "Successful pods needed", integer(1))
                    .param("job.restartPolicy", job.restartPolicy().name(), "Restart policy of the Job's pods", oneOf("OnFailure", "Never"));
            if (s.workload() == Service.WorkloadKind.CronJob) {
                v.param("cronJob.schedule", job.schedule().orElse(""), "Cron schedule", string(Schemas.CRON))
                        .param("cronJob.timeZone", job.timeZone().orElse(""), "Time zone of the schedule (empty: the controller's)", string())
                        .param("cronJob.concurrencyPolicy", job.concurrencyPolicy().name(), "What to do when a run is still going", oneOf("Allow", "Forbid", "Replace"))
                        .param("cronJob.startingDeadlineSeconds", job.startingDeadlineSeconds(), "Seconds a late run may still start", integer(1))
                        .param("cronJob.successfulJobsHistoryLimit", job.successfulJobsHistoryLimit(), "Finished Jobs kept", integer(0))
                        .param("cronJob.failedJobsHistoryLimit", job.failedJobsHistoryLimit(), "Failed Jobs kept", integer(0))
                        .param("cronJob.suspend", job.suspend(), "Suspend the schedule", bool());
            }
        });

        OperationsValues.add(v, system, s);
        CanaryValues.add(v, s);

        v.section("Pod metadata and extra objects")
                .param("podAnnotations", s.pod().annotations(), "Extra pod annotations", stringMap())
                .param("podLabels", s.pod().labels(), "Extra pod labels (never used in selectors)", stringMap())
                .param("extraObjects", Map.of(), "Further manifests by any name, written as they are with toYaml (never evaluated as templates)",
                        Schemas.mapOf(object()));
        if (!batch && !s.ports().isEmpty()) {
            v.section("Tests")
                    .param("tests.enabled", s.hasService(), "Render the helm test hook that checks the Service answers", bool())
                    .param("tests.image", imageValue(system.helpers().tools()), "Image of the test (needs nc and wget)", imageSchema())
                    .param("tests.timeoutSeconds", 10, "Seconds each check may take", integer(1))
                    .param("tests.checks", checks(s), "One check per port name: an HTTP GET of path, or a TCP connect when path is empty",
                            Schemas.mapOf(Schemas.strictObject(of("enabled", bool(), "path", string("^$|^/")), "enabled")));
        }
        return v;
    }

    /** A probe: enabled plus the Kubernetes probe; a disabled probe keeps no handler. */
    private static void probe(ChartValues v, String key, String what, java.util.Optional<Service.Probe> probe) {
        v.param(key, probeValue(probe), what + " probe: enabled, then the probe in Kubernetes form (set a handler to null to replace it by another)",
                Schemas.probeSchema());
    }

    private static Map<String, Object> probeValue(java.util.Optional<Service.Probe> probe) {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("enabled", probe.isPresent());
        probe.map(KubernetesForms::probe).ifPresent(value::putAll);
        return value;
    }

    /** Sidecars or init containers as values: name -> the container's settings (ports are in ports). */
    private static Map<String, Object> companions(List<Service.Companion> companions, boolean sidecar) {
        Map<String, Object> map = new TreeMap<>();
        int order = 0;
        for (Service.Companion c : companions) {
            Map<String, Object> value = new LinkedHashMap<>();
            value.put("order", order++);
            value.put("image", imageValue(c.image()));
            value.put("command", c.command());
            value.put("args", c.args());
            value.put("env", env(c.env()));
            value.put("resources", resources(c.resources()));
            if (sidecar) {
                value.put("livenessProbe", probeValue(c.probes().liveness()));
                value.put("readinessProbe", probeValue(c.probes().readiness()));
                value.put("startupProbe", probeValue(c.probes().startup()));
            }
            Map<String, Object> mounts = new TreeMap<>();
            for (Service.Mount m : c.mounts()) {
                Map<String, Object> mount = new LinkedHashMap<>();
                mount.put("mountPath", m.mountPath());
                mount.put("readOnly", m.readOnly());
                m.subPath().ifPresent(sub -> mount.put("subPath", sub));
                mounts.put(m.volume(), mount);
            }
            value.put("volumeMounts", mounts);
            value.put("securityContext", containerSecurityContext(c.security()));
            map.put(c.name(), value);
        }
        return map;
    }

    private static Map<String, Object> companionSchema(boolean sidecar) {
        Map<String, Object> properties = new LinkedHashMap<>(of("order", integer(0), "image", imageSchema(), "command", array(string()),
                "args", array(string()), "env", Schemas.mapOf(envSchema()), "resources", resourcesSchema(),
                "volumeMounts", Schemas.described(Schemas.mapOf(Schemas.strictObject(of("mountPath", string("^/"), "readOnly", bool(),
                        "subPath", string()), "mountPath")), "Volumes of the service by name, and where they are mounted"),
                "securityContext", object()));
        if (sidecar) {
            properties.put("livenessProbe", Schemas.probeSchema());
            properties.put("readinessProbe", Schemas.probeSchema());
            properties.put("startupProbe", Schemas.probeSchema());
        }
        return Schemas.strictObject(properties, "image");
    }

    static void security(ChartValues v, Service.Security sec) {
        Map<String, Object> pod = new LinkedHashMap<>();
        pod.put("runAsNonRoot", sec.runAsNonRoot());
        pod.put("runAsUser", sec.runAsUser());
        pod.put("runAsGroup", sec.runAsGroup());
        pod.put("fsGroup", sec.fsGroup());
        pod.put("fsGroupChangePolicy", "OnRootMismatch");
        pod.put("seccompProfile", Map.of("type", sec.seccompProfile().name()));
        v.param("podSecurityContext", pod, "Pod security context (restricted profile by default)", object())
                .param("containerSecurityContext", containerSecurityContext(sec), "Container security context (restricted profile by default)", object());
    }

    /** A container's security context in Kubernetes form (the restricted profile, with the descriptor's relaxations). */
    static Map<String, Object> containerSecurityContext(Service.Security sec) {
        Map<String, Object> container = new LinkedHashMap<>();
        container.put("allowPrivilegeEscalation", sec.allowPrivilegeEscalation());
        Map<String, Object> capabilities = new LinkedHashMap<>();
        capabilities.put("drop", List.of("ALL"));
        if (!sec.addCapabilities().isEmpty()) {
            capabilities.put("add", sec.addCapabilities());
        }
        container.put("capabilities", capabilities);
        container.put("privileged", false);
        container.put("readOnlyRootFilesystem", sec.readOnlyRootFilesystem());
        container.put("runAsNonRoot", sec.runAsNonRoot());
        container.put("runAsUser", sec.runAsUser());
        container.put("runAsGroup", sec.runAsGroup());
        container.put("seccompProfile", Map.of("type", sec.seccompProfile().name()));
        return container;
    }

    private static Map<String, Object> ports(Service s) {
        Map<String, Object> ports = new TreeMap<>();
        for (Service.Port port : s.ports()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("containerPort", port.port());
            if (port.exposed()) {
                p.put("servicePort", port.servicePort());
            }
            p.put("protocol", port.protocol().name());
            if (port.exposed()) {
                p.put("appProtocol", port.appProtocol());
                p.put("nodePort", port.nodePort().orElse(0));
            }
            p.put("expose", port.exposed());
            if (!port.main()) {
                p.put("container", port.container());
            }
            ports.put(port.name(), p);
        }
        return ports;
    }

    /** The env map: literals (with the variables their $(VAR) references need), then the references to other sources. */
    private static Map<String, Object> env(Service s) {
        return env(s.container().env());
    }

    static Map<String, Object> env(List<Service.EnvVar> vars) {
        Map<String, Object> env = new TreeMap<>();
        for (Service.EnvVar e : vars) {
            if (e instanceof Service.Literal l) {
                List<String> needs = l.references().stream().filter(name -> !name.equals(l.name())).toList();
                env.put(l.name(), needs.isEmpty() ? l.value() : new LinkedHashMap<>(of("value", l.value(), "dependsOn", needs)));
            } else if (e instanceof Service.ConfigKey c) {
                env.put(c.name(), of("configKey", c.key()));
            } else if (e instanceof Service.SecretKey k) {
                Map<String, Object> ref = new LinkedHashMap<>(of("name", k.secret(), "key", k.key()));
                if (k.optional()) {
                    ref.put("optional", true);
                }
                env.put(k.name(), of("secretKeyRef", ref));
            } else if (e instanceof Service.FieldRef f) {
                env.put(f.name(), of("fieldRef", of("fieldPath", f.fieldPath())));
            } else if (e instanceof Service.ResourceRef r) {
                env.put(r.name(), of("resourceFieldRef", of("resource", r.resource())));
            }
        }
        return env;
    }

    static Map<String, Object> dependencies(Service s) {
        Map<String, Object> map = new TreeMap<>();
        for (Dependency d : s.dependsOn()) {
            Map<String, Object> dep = new LinkedHashMap<>();
            dep.put("enabled", true);
            if (d.credentials().flatMap(Dependency.Credentials::hostKey).isEmpty()) {
                dep.put("host", d.host());
            }
            dep.put("port", d.port());
            dep.put("startup", d.startup());
            dep.put("timeoutSeconds", d.timeoutSeconds());
            dep.put("env", new TreeMap<>(d.textVariables()));
            d.credentials().ifPresent(c -> {
                Map<String, Object> credentials = new LinkedHashMap<>();
                credentials.put("secret", c.secret());
                c.hostKey().ifPresent(key -> credentials.put("hostKey", key));
                credentials.put("env", new TreeMap<>(c.keys()));
                dep.put("credentials", credentials);
            });
            map.put(d.name(), dep);
        }
        return map;
    }

    static Map<String, Object> envSchema() {
        Map<String, Object> keyRef = Schemas.strictObject(of("name", string(), "key", string(), "optional", bool()), "name", "key");
        Map<String, Object> entry = Schemas.strictObject(of(
                "value", of("type", List.of("string", "number", "boolean")),
                "dependsOn", Schemas.described(array(string(ENV_NAME)), "The variables a $(VAR) reference in value needs defined first"),
                "configKey", string(),
                "secretKeyRef", keyRef,
                "configMapKeyRef", keyRef,
                "fieldRef", Schemas.strictObject(of("fieldPath", string(), "apiVersion", string()), "fieldPath"),
                "resourceFieldRef", Schemas.strictObject(of("resource", string(), "containerName", string(),
                        "divisor", of("type", List.of("string", "number"))), "resource")));
        entry.put("minProperties", 1);
        return of("anyOf", List.of(of("type", List.of("string", "number", "boolean")), entry));
    }

    private static Map<String, Object> dependencySchema() {
        Map<String, Object> envNames = of("type", "object", "propertyNames", string(ENV_NAME), "additionalProperties", string());
        Map<String, Object> schema = Schemas.strictObject(of("enabled", bool(),
                "host", Schemas.described(string("^[-a-zA-Z0-9.{}]+$"), "Host name ({release} stands for the release name)"),
                "port", integer(1, 65535),
                "startup", Schemas.described(bool(), "An init container waits until the callee accepts connections"),
                "timeoutSeconds", integer(1),
                "env", Schemas.described(envNames, "Variables set from the callee: name -> text where {host}, {port} and {release} are"
                        + " replaced; $(NAME) refers to a credentials variable"),
                "credentials", Schemas.described(Schemas.strictObject(of("secret", string("^[-a-z0-9.{}]+$"), "hostKey", string("^[-._a-zA-Z0-9]+$"),
                        "env", envNames), "secret", "env"), "Variables from the callee's credentials Secret (env: name -> key; hostKey: the"
                        + " key holding the host, when no host is given)")),
                "enabled", "port", "startup", "timeoutSeconds", "env");
        // the host, or a key of the credentials Secret that holds it (a claim's connection Secret)
        schema.put("anyOf", List.of(of("required", List.of("host")),
                of("required", List.of("credentials"), "properties", of("credentials", of("required", List.of("hostKey"))))));
        return schema;
    }

    /** Single keys (of a ConfigMap or a Secret) mounted as a file each: key to absolute file path. */
    private static Map<String, Object> fileMountsSchema() {
        return of("type", "object", "propertyNames", of("pattern", "^[-._a-zA-Z0-9]+$"), "additionalProperties", string("^/"));
    }

    private static Map<String, Object> portSchema() {
        return Schemas.strictObject(of("containerPort", integer(1, 65535),
                "servicePort", integer(1, 65535), "protocol", oneOf("TCP", "UDP", "SCTP"), "appProtocol", string(),
                "nodePort", of("type", "integer", "anyOf", List.of(of("const", 0), of("minimum", 30000, "maximum", 32767))), "expose", bool(),
                "container", string(Schemas.DNS_LABEL)),
                "containerPort");
    }

    static Map<String, Object> imageSchema() {
        return Schemas.strictObject(of("registry", string(IMAGE_REGISTRY), "repository", string(IMAGE_REPOSITORY), "tag", string(IMAGE_TAG),
                "digest", string(IMAGE_DIGEST), "pullPolicy", oneOf("IfNotPresent", "Always", "Never")), "repository");
    }

    static Map<String, Object> resourcesSchema() {
        return Schemas.strictObject(of("requests", Schemas.quantityMap(), "limits", Schemas.quantityMap()));
    }

    private static Map<String, Object> volumeSchema() {
        return Schemas.strictObject(of("mountPath", string("^/"), "readOnly", bool(), "subPath", string(),
                "emptyDir", Schemas.strictObject(of("medium", oneOf("", "Memory"), "sizeLimit", of("type", List.of("string", "number"), "pattern", Schemas.QUANTITY))),
                "existingClaim", string(),
                "persistence", Schemas.strictObject(of(
                        "size", of("type", List.of("string", "number"), "pattern", Schemas.QUANTITY),
                        "storageClass", string(), "accessModes", array(oneOf("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"))), "size")),
                "mountPath");
    }

    static Map<String, Object> resources(Service.Resources r) {
        Map<String, Object> resources = new LinkedHashMap<>();
        resources.put("requests", new TreeMap<>(r.requests()));
        resources.put("limits", new TreeMap<>(r.limits()));
        return resources;
    }

    /** Requests and limits of castle's helper containers (dependency waits, tests). */
    static Map<String, Object> smallResources() {
        return new LinkedHashMap<>(of("requests", new LinkedHashMap<>(of("cpu", "10m", "memory", "16Mi")),
                "limits", new LinkedHashMap<>(of("cpu", "100m", "memory", "32Mi"))));
    }

    /** The restricted security context of castle's helper containers, as busybox's nobody user. */
    static Map<String, Object> helperSecurityContext() {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("allowPrivilegeEscalation", false);
        context.put("capabilities", Map.of("drop", List.of("ALL")));
        context.put("privileged", false);
        context.put("readOnlyRootFilesystem", true);
        context.put("runAsNonRoot", true);
        context.put("runAsUser", TEST_USER);
        context.put("runAsGroup", TEST_USER);
        context.put("seccompProfile", Map.of("type", "RuntimeDefault"));
        return context;
    }

    private static Map<String, Object> volumes(Service s) {
        Map<String, Object> volumes = new TreeMap<>();
        for (Service.Volume volume : s.volumes()) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("mountPath", volume.mountPath());
            v.put("readOnly", volume.readOnly());
            volume.subPath().ifPresent(sub -> v.put("subPath", sub));
            if (volume.source() instanceof Service.EmptyDir e) {
                Map<String, Object> emptyDir = new LinkedHashMap<>();
                if (!e.medium().value().isEmpty()) {
                    emptyDir.put("medium", e.medium().value());
                }
                e.sizeLimit().ifPresent(limit -> emptyDir.put("sizeLimit", limit));
                v.put("emptyDir", emptyDir);
            } else if (volume.source() instanceof Service.Claim c) {
                v.put("existingClaim", c.claimName());
            } else if (volume.source() instanceof Service.Persistent p) {
                Map<String, Object> persistence = new LinkedHashMap<>();
                persistence.put("size", p.size());
                persistence.put("storageClass", p.storageClass().orElse(""));
                persistence.put("accessModes", p.accessModes().stream().map(Enum::name).toList());
                v.put("persistence", persistence);
            }
            volumes.put(volume.name(), v);
        }
        return volumes;
    }

    /** One check per exposed TCP port: an HTTP GET of the readiness path when it probes that port, else a TCP connect. */
    private static Map<String, Object> checks(Service s) {
        Map<String, Object> checks = new TreeMap<>();
        Object readiness = s.container().probes().readiness().map(r -> KubernetesForms.handler(r.handler()).get("httpGet")).orElse(null);
        for (Service.Port port : s.ports()) {
            if (!port.exposed() || port.protocol() != Service.Protocol.TCP) {
                continue;
            }
            String path = "";
            if (readiness instanceof Map<?, ?> get && (port.name().equals(get.get("port")) || Integer.valueOf(port.port()).equals(get.get("port")))) {
                path = String.valueOf(get.get("path"));
            }
            checks.put(port.name(), new LinkedHashMap<>(of("enabled", true, "path", path)));
        }
        return checks;
    }
}
