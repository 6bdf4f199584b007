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

/** Maps one service of the model to its subchart's values: the only way user data reaches a chart. */
final class ServiceValues {
    static final String TEST_IMAGE_REGISTRY = "docker.io";
    static final String TEST_IMAGE_REPOSITORY = "library/busybox";
    static final String TEST_IMAGE_TAG = "1.37.0";
    static final int TEST_USER = 65534;
    static final String WAIT_IMAGE_REGISTRY = TEST_IMAGE_REGISTRY;

    private ServiceValues() {
    }

    /** Global and naming parameters every castle subchart has; the helpers template reads them. */
    static void commonParameters(ChartValues v, SystemModel system, String component) {
        v.section("Global parameters")
                .param("global.imageRegistry", "", "Registry that replaces the registry of every image (set by the parent chart)", string())
                .param("global.imagePullSecrets", List.of(), "Names of existing Secrets added to every pod's imagePullSecrets", array(string()))
                .param("global.offline", false, "Render without a cluster: no lookup of existing objects (castle sets it for the Kustomize output)", bool());
        v.section("Common parameters")
                .param("nameOverride", "", "Replaces the chart name in resource names and the app.kubernetes.io/name label", string(Schemas.DNS_LABEL + "|^$"))
                .param("fullnameOverride", "", "Replaces the whole resource name (default: <release>-<chart>)", string(Schemas.DNS_LABEL + "|^$"))
                .param("component", component, "Value of the app.kubernetes.io/component label", string("^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$"))
                .param("partOf", system.metadata().name(), "Value of the app.kubernetes.io/part-of label", string(Schemas.DNS_LABEL));
    }

    static ChartValues forService(SystemModel system, Service s) {
        ChartValues v = new ChartValues();
        commonParameters(v, system, s.component());

        Service.Image image = s.container().image();
        v.section("Image parameters")
                .param("image.registry", image.registry(), "Image registry", string("^[a-zA-Z0-9.-]+(:[0-9]+)?$"))
                .param("image.repository", image.repository(), "Image repository", string("^[a-z0-9]+([._-]*[a-z0-9]+)*(/[a-z0-9]+([._-]*[a-z0-9]+)*)*$"))
                .param("image.tag", image.tag(), "Image tag (never latest); empty when a digest pins the image", string("^$|^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$"))
                .param("image.digest", image.digest(), "Image digest (sha256:...); takes precedence over the tag for pulling", string("^$|^[a-z0-9]+:[a-f0-9]{32,}$"))
                .param("image.pullPolicy", image.pullPolicy().name(), "Image pull policy", oneOf("IfNotPresent", "Always", "Never"))
                .param("imagePullSecrets", s.container().imagePullSecrets(), "Names of existing docker-registry Secrets", array(string()))
                .param("command", s.container().command(), "Overrides the image ENTRYPOINT", array(string()))
                .param("args", s.container().args(), "Overrides the image CMD", array(string()));

        v.section("Workload parameters");
        if (!s.workload().isBatch()) {
            v.param("replicaCount", s.scheduling().replicas(), "Number of pods", integer(0));
        }
        v.param("ports", ports(s), "Container ports; the Service carries those with expose: true", array(portSchema()));
        if (s.hasService()) {
            v.param("service.type", s.network().service().headless() ? "Headless" : s.network().service().type().name(), "Service type (Headless gives clusterIP: None)", oneOf("ClusterIP", "NodePort", "LoadBalancer", "Headless"))
                    .param("service.annotations", s.network().service().annotations(), "Service annotations", stringMap())
                    .param("service.externalTrafficPolicy", s.network().service().externalTrafficPolicy().map(Enum::name).orElse(""), "externalTrafficPolicy of NodePort and LoadBalancer Services", oneOf("", "Cluster", "Local"))
                    .param("service.loadBalancerSourceRanges", s.network().service().loadBalancerSourceRanges(), "CIDRs allowed to reach a LoadBalancer", array(string()));
        }
        if (s.workload() == Service.WorkloadKind.StatefulSet) {
            v.param("statefulSet.podManagementPolicy", "OrderedReady", "OrderedReady or Parallel", oneOf("OrderedReady", "Parallel"));
        }

        v.section("Environment and configuration");
        Map<String, Object> literals = new TreeMap<>();
        Map<String, Object> fromConfig = new TreeMap<>();
        Map<String, Object> fromSecrets = new TreeMap<>();
        List<Object> extra = new ArrayList<>();
        for (Service.EnvVar env : s.container().env()) {
            if (env instanceof Service.Literal l) {
                literals.put(l.name(), l.value());
            } else if (env instanceof Service.ConfigKey c) {
                fromConfig.put(c.name(), c.key());
            } else if (env instanceof Service.SecretKey k) {
                Map<String, Object> ref = new LinkedHashMap<>();
                ref.put("name", k.secret());
                ref.put("key", k.key());
                ref.put("optional", k.optional());
                fromSecrets.put(k.name(), ref);
            } else if (env instanceof Service.FieldRef f) {
                extra.add(Map.of("name", f.name(), "valueFrom", Map.of("fieldRef", Map.of("fieldPath", f.fieldPath()))));
            } else if (env instanceof Service.ResourceRef r) {
                extra.add(Map.of("name", r.name(), "valueFrom", Map.of("resourceFieldRef",
                        Map.of("containerName", s.name(), "resource", r.resource()))));
            }
        }
        v.param("env", literals, "Literal environment variables, name to value", Schemas.scalarMap())
                .param("envFromConfig", fromConfig, "Environment variables read from keys of the service's ConfigMap, name to key", stringMap())
                .param("envFromSecrets", fromSecrets, "Environment variables read from existing Secrets, name to {name, key, optional}",
                        of("type", "object", "additionalProperties", Schemas.strictObject(of("name", string(), "key", string(), "optional", bool()), "name", "key")))
                .param("extraEnv", extra, "Further environment variables in Kubernetes form (fieldRef, resourceFieldRef)", array(object()));
        s.configuration().config().ifPresent(config -> v
                .param("config.data", new TreeMap<>(config.data()), "Keys and values of the service's ConfigMap", Schemas.scalarMap())
                .param("config.files", new TreeMap<>(config.fileContents()), "Files of the service's ConfigMap, file name to content", stringMap())
                .param("config.envFrom", config.envFrom(), "Expose every config key as an environment variable", bool())
                .param("config.mountPath", config.mountPath().orElse(""), "Mount every config key as a file in this folder (empty: not mounted)", string("^$|^/.*")));
        List<Object> secrets = new ArrayList<>();
        for (Service.SecretRef ref : s.configuration().secrets()) {
            Map<String, Object> secret = new LinkedHashMap<>();
            secret.put("name", ref.name());
            secret.put("envFrom", ref.envFrom());
            secret.put("mountPath", ref.mountPath().orElse(""));
            secret.put("optional", ref.optional());
            secrets.add(secret);
        }
        v.param("secrets", secrets, "Existing Secrets used by the service: envFrom exposes every key, mountPath mounts them as files",
                array(Schemas.strictObject(of("name", string(), "envFrom", bool(), "mountPath", string("^$|^/.*"), "optional", bool()), "name")));

        v.section("Dependencies")
                .param("dependencies", dependencies(s), "Services and components this service calls: their address and credentials reach the"
                        + " environment; with startup: true an init container waits until they accept connections", array(dependencySchema()))
                .param("dependencyWait.image.registry", WAIT_IMAGE_REGISTRY, "Registry of the image that waits for start-up dependencies", string())
                .param("dependencyWait.image.repository", TEST_IMAGE_REPOSITORY, "Repository of that image (needs sh and nc)", string())
                .param("dependencyWait.image.tag", TEST_IMAGE_TAG, "Tag of that image", string("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$"));

        v.section("Resources, health and lifecycle")
                .param("resources", resources(s.container().resources()), "Requests and limits of the container",
                        Schemas.strictObject(of("requests", Schemas.quantityMap(), "limits", Schemas.quantityMap())));
        if (!s.workload().isBatch()) {
            v.param("livenessProbe", s.container().probes().liveness().map(KubernetesForms::probe).orElse(Map.of()), "Liveness probe in Kubernetes form ({} disables it)", object())
                    .param("readinessProbe", s.container().probes().readiness().map(KubernetesForms::probe).orElse(Map.of()), "Readiness probe in Kubernetes form ({} disables it)", object())
                    .param("startupProbe", s.container().probes().startup().map(KubernetesForms::probe).orElse(Map.of()), "Startup probe in Kubernetes form ({} disables it)", object());
        }
        Map<String, Object> lifecycle = new LinkedHashMap<>();
        s.container().lifecycle().postStart().ifPresent(h -> lifecycle.put("postStart", KubernetesForms.handler(h)));
        s.container().lifecycle().preStop().ifPresent(h -> lifecycle.put("preStop", KubernetesForms.handler(h)));
        v.param("lifecycle", lifecycle, "Container lifecycle hooks in Kubernetes form (the preStop sleep lets in-flight requests finish)", object())
                .param("terminationGracePeriodSeconds", s.container().lifecycle().terminationGracePeriodSeconds(), "Seconds a pod gets to stop after SIGTERM", integer(0));

        v.section("Security");
        Service.Security sec = s.container().security();
        Map<String, Object> pod = new LinkedHashMap<>();
        pod.put("runAsNonRoot", sec.runAsNonRoot());
        pod.put("runAsUser", sec.runAsUser());
        pod.put("runAsGroup", sec.runAsGroup());
        pod.put("fsGroup", sec.fsGroup());
        pod.put("fsGroupChangePolicy", "OnRootMismatch");
        pod.put("seccompProfile", Map.of("type", sec.seccompProfile().name()));
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
        v.param("podSecurityContext", pod, "Pod security context (restricted profile by default)", object())
                .param("containerSecurityContext", container, "Container security context (restricted profile by default)", object())
                .param("serviceAccount.create", s.pod().serviceAccount().create(), "Create a ServiceAccount for the service", bool())
                .param("serviceAccount.name", s.pod().serviceAccount().name().orElse(""), "ServiceAccount name (default: the full name when created, else default)", string())
                .param("serviceAccount.annotations", s.pod().serviceAccount().annotations(), "ServiceAccount annotations (workload identity, ...)", stringMap())
                .param("serviceAccount.automountServiceAccountToken", s.pod().serviceAccount().automountToken(), "Mount the API token in the pods", bool());

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
                .param("topologySpreadConstraints", spread, "Spread of pods across topology domains (the label selector is added)",
                        array(Schemas.strictObject(of("topologyKey", string(), "maxSkew", integer(1), "whenUnsatisfiable", oneOf("ScheduleAnyway", "DoNotSchedule")), "topologyKey")));
        if (!s.workload().isBatch()) {
            Service.DisruptionBudget pdb = s.scheduling().disruptionBudget().orElse(null);
            v.param("podDisruptionBudget.enabled", pdb != null, "Create a PodDisruptionBudget", bool())
                    .param("podDisruptionBudget.minAvailable", pdb == null ? "" : pdb.minAvailable().orElse(""), "Pods that must stay available (number or percentage; empty: unset)", Schemas.intOrPercent())
                    .param("podDisruptionBudget.maxUnavailable", pdb == null ? 1 : pdb.maxUnavailable().orElse(""), "Pods that may be unavailable (number or percentage; empty: unset)", Schemas.intOrPercent());
        }

        v.section("Storage")
                .param("volumes", volumes(s), "Volumes and their mounts: emptyDir, existingClaim, or persistence (a claim castle creates)",
                        array(Schemas.strictObject(of("name", string(Schemas.DNS_LABEL), "mountPath", string("^/"), "readOnly", bool(), "subPath", string(),
                                "emptyDir", object(), "existingClaim", string(), "persistence", Schemas.strictObject(of(
                                        "size", of("type", List.of("string", "number"), "pattern", Schemas.QUANTITY),
                                        "storageClass", string(), "accessModes", array(string())), "size")), "name", "mountPath")));

        s.job().ifPresent(job -> {
            v.section("Job parameters")
                    .param("job.backoffLimit", job.backoffLimit(), "Retries before the Job fails", integer(0))
                    .param("job.activeDeadlineSeconds", job.activeDeadlineSeconds().orElse(0), "Seconds the Job may run (0: no limit)", integer(0))
                    .param("job.ttlSecondsAfterFinished", job.ttlSecondsAfterFinished(), "Seconds a finished Job is kept", integer(0))
                    .param("job.parallelism", job.parallelism().orElse(1), "Pods run at once", integer(1))
                    .param("job.completions", job.completions().orElse(1), "Successful pods needed", integer(1))
                    .param("job.restartPolicy", job.restartPolicy().name(), "Restart policy of the Job's pods", oneOf("OnFailure", "Never"));
            if (s.workload() == Service.WorkloadKind.CronJob) {
                v.param("cronJob.schedule", job.schedule().orElse(""), "Cron schedule", string("^\\S+(\\s+\\S+){4}$|^@\\w+$"))
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

        v.section("Pod metadata")
                .param("podAnnotations", s.pod().annotations(), "Extra pod annotations", stringMap())
                .param("podLabels", s.pod().labels(), "Extra pod labels (never used in selectors)", stringMap());
        if (s.hasService()) {
            v.section("Tests")
                    .param("tests.enabled", true, "Render the helm test hook that checks the Service answers", bool())
                    .param("tests.image.registry", TEST_IMAGE_REGISTRY, "Registry of the test image", string())
                    .param("tests.image.repository", TEST_IMAGE_REPOSITORY, "Repository of the test image (needs nc and wget)", string())
                    .param("tests.image.tag", TEST_IMAGE_TAG, "Tag of the test image", string("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$"))
                    .param("tests.checks", checks(s), "What the test checks: a TCP connect per port, or an HTTP GET of path", array(object()));
        }
        return v;
    }

    private static List<Object> ports(Service s) {
        List<Object> ports = new ArrayList<>();
        for (Service.Port port : s.ports()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("name", port.name());
            p.put("containerPort", port.port());
            p.put("servicePort", port.servicePort());
            p.put("protocol", port.protocol().name());
            p.put("appProtocol", port.appProtocol());
            p.put("nodePort", port.nodePort().orElse(0));
            p.put("expose", port.exposed());
            ports.add(p);
        }
        return ports;
    }

    static List<Object> dependencies(Service s) {
        List<Object> list = new ArrayList<>();
        for (Dependency d : s.dependsOn()) {
            Map<String, Object> dep = new LinkedHashMap<>();
            dep.put("name", d.name());
            dep.put("host", d.host());
            dep.put("port", d.port());
            dep.put("startup", d.startup());
            dep.put("timeoutSeconds", d.timeoutSeconds());
            dep.put("urlPrefix", d.urlPrefix());
            dep.put("urlSuffix", d.urlSuffix());
            Map<String, Object> env = new LinkedHashMap<>();
            env.put("host", d.env().host());
            env.put("port", d.env().port());
            env.put("url", d.env().url());
            d.credentials().ifPresent(c -> {
                env.put("username", d.env().username());
                env.put("password", d.env().password());
            });
            dep.put("env", env);
            d.credentials().ifPresent(c -> dep.put("credentials", new LinkedHashMap<>(of(
                    "secret", c.secret(), "usernameKey", c.usernameKey(), "passwordKey", c.passwordKey()))));
            list.add(dep);
        }
        return list;
    }

    private static Map<String, Object> dependencySchema() {
        Map<String, Object> envName = string("^[A-Za-z_][A-Za-z0-9_]*$");
        return Schemas.strictObject(of("name", string(Schemas.DNS_LABEL),
                "host", string("^[-a-zA-Z0-9.{}]+$"),
                "port", integer(1, 65535), "startup", bool(), "timeoutSeconds", integer(1),
                "urlPrefix", string(), "urlSuffix", string(),
                "env", Schemas.strictObject(of("host", envName, "port", envName, "url", envName, "username", envName, "password", envName),
                        "host", "port", "url"),
                "credentials", Schemas.strictObject(of("secret", string("^[-a-z0-9.{}]+$"), "usernameKey", string(), "passwordKey", string()),
                        "secret", "usernameKey", "passwordKey")), "name", "host", "port", "env");
    }

    private static Map<String, Object> portSchema() {
        return Schemas.strictObject(of("name", string("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"), "containerPort", integer(1, 65535),
                "servicePort", integer(1, 65535), "protocol", oneOf("TCP", "UDP", "SCTP"), "appProtocol", string(),
                "nodePort", integer(0, 32767), "expose", bool()), "name", "containerPort");
    }

    private static Map<String, Object> resources(Service.Resources r) {
        Map<String, Object> resources = new LinkedHashMap<>();
        resources.put("requests", new TreeMap<>(r.requests()));
        resources.put("limits", new TreeMap<>(r.limits()));
        return resources;
    }

    private static List<Object> volumes(Service s) {
        List<Object> volumes = new ArrayList<>();
        for (Service.Volume volume : s.volumes()) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("name", volume.name());
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
            volumes.add(v);
        }
        return volumes;
    }

    /** One check per exposed port: an HTTP GET of the readiness path when it probes that port, else a TCP connect. */
    private static List<Object> checks(Service s) {
        List<Object> checks = new ArrayList<>();
        Object readiness = s.container().probes().readiness().map(r -> KubernetesForms.handler(r.handler()).get("httpGet")).orElse(null);
        for (Service.Port port : s.ports()) {
            if (!port.exposed() || port.protocol() != Service.Protocol.TCP) {
                continue;
            }
            Map<String, Object> check = new LinkedHashMap<>();
            check.put("port", port.servicePort());
            if (readiness instanceof Map<?, ?> get && (port.name().equals(get.get("port")) || Integer.valueOf(port.port()).equals(get.get("port")))) {
                check.put("path", get.get("path"));
            }
            checks.add(check);
        }
        return checks;
    }
}
