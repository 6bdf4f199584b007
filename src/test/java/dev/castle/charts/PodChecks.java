package dev.castle.charts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What every pod castle renders must satisfy: the Pod Security Standards "restricted" profile and
 * the usual linter rules (resources, probes, pinned images, selectors, spread of replicas).
 * Each check returns the problems it found, as "Kind/name: problem".
 */
final class PodChecks {
    private final List<Map<String, Object>> documents;
    private final List<String> problems = new ArrayList<>();

    PodChecks(List<Map<String, Object>> documents) {
        this.documents = documents;
    }

    List<String> check() {
        for (Map<String, Object> doc : documents) {
            String kind = (String) doc.get("kind");
            String id = kind + "/" + get(doc, "metadata", "name");
            switch (kind) {
                case "Deployment", "StatefulSet", "Rollout" -> {
                    Map<String, Object> template = map(get(doc, "spec", "template"));
                    checkPod(id, map(template.get("spec")), true);
                    checkSelector(id, map(get(doc, "spec", "selector", "matchLabels")), map(get(template, "metadata", "labels")));
                    int pods = mostPods(doc);
                    if (pods >= 2) {
                        if (get(template, "spec", "affinity", "podAntiAffinity") == null) {
                            problems.add(id + ": up to " + pods + " pods but no pod anti-affinity");
                        }
                        if (list(get(template, "spec", "topologySpreadConstraints")).isEmpty()) {
                            problems.add(id + ": up to " + pods + " pods but no topology spread");
                        }
                        Map<String, Object> labels = map(get(template, "metadata", "labels"));
                        boolean covered = documents.stream().filter(d -> "PodDisruptionBudget".equals(d.get("kind")))
                                .anyMatch(pdb -> labels.entrySet().containsAll(map(get(pdb, "spec", "selector", "matchLabels")).entrySet()));
                        if (!covered) {
                            problems.add(id + ": up to " + pods + " pods but no PodDisruptionBudget selects its pods");
                        }
                    }
                }
                case "Job" -> checkPod(id, map(get(doc, "spec", "template", "spec")), false);
                case "CronJob" -> checkPod(id, map(get(doc, "spec", "jobTemplate", "spec", "template", "spec")), false);
                case "Pod" -> checkPod(id, map(doc.get("spec")), false);
                case "Service" -> {
                    Map<String, Object> selector = map(get(doc, "spec", "selector"));
                    boolean matches = documents.stream().filter(d -> List.of("Deployment", "StatefulSet", "Rollout").contains(d.get("kind")))
                            .anyMatch(w -> map(get(w, "spec", "template", "metadata", "labels")).entrySet().containsAll(selector.entrySet()));
                    if (selector.isEmpty() || !matches) {
                        problems.add(id + ": selector " + selector + " matches no workload's pods");
                    }
                }
                default -> {
                }
            }
        }
        return problems;
    }

    /**
     * The most pods a workload can run: its replicas, or the maximum of the HorizontalPodAutoscaler
     * or KEDA ScaledObject that scales it (which then owns the count).
     */
    int mostPods(Map<String, Object> workload) {
        int most = ((Number) Objects.requireNonNullElse(get(workload, "spec", "replicas"), 1)).intValue();
        for (Map<String, Object> doc : documents) {
            String kind = String.valueOf(doc.get("kind"));
            Map<String, Object> target = map(get(doc, "spec", "scaleTargetRef"));
            boolean scales = kind.equals("HorizontalPodAutoscaler") || kind.equals("ScaledObject");
            String targetKind = (String) Objects.requireNonNullElse(target.get("kind"), "Deployment");
            if (scales && targetKind.equals(workload.get("kind")) && Objects.equals(target.get("name"), get(workload, "metadata", "name"))) {
                Object max = kind.equals("ScaledObject") ? Objects.requireNonNullElse(get(doc, "spec", "maxReplicaCount"), 100)
                        : get(doc, "spec", "maxReplicas");
                most = Math.max(most, ((Number) max).intValue());
            }
        }
        return most;
    }

    private void checkSelector(String id, Map<String, Object> selector, Map<String, Object> labels) {
        if (selector.isEmpty() || !labels.entrySet().containsAll(selector.entrySet())) {
            problems.add(id + ": selector " + selector + " is not a subset of the pod labels " + labels);
        }
        for (String key : selector.keySet()) {
            if (key.equals("helm.sh/chart") || key.equals("app.kubernetes.io/version")) {
                problems.add(id + ": selector uses the mutable label " + key);
            }
        }
    }

    private void checkPod(String id, Map<String, Object> pod, boolean longRunning) {
        Map<String, Object> podSecurity = map(pod.get("securityContext"));
        if (!Boolean.FALSE.equals(pod.get("automountServiceAccountToken"))) {
            problems.add(id + ": the service account token is mounted");
        }
        List<Object> containers = new ArrayList<>(list(pod.get("containers")));
        List<Object> mainContainers = List.copyOf(containers);
        containers.addAll(list(pod.get("initContainers")));
        List<String> emptyDirs = new ArrayList<>();
        for (Object v : list(pod.get("volumes"))) {
            if (map(v).containsKey("emptyDir")) {
                emptyDirs.add((String) map(v).get("name"));
            }
        }
        for (Object c : containers) {
            Map<String, Object> container = map(c);
            String cid = id + " container " + container.get("name");
            checkReferences(cid, container);
            Map<String, Object> security = map(container.get("securityContext"));
            if (!Boolean.TRUE.equals(security.get("runAsNonRoot")) && !Boolean.TRUE.equals(podSecurity.get("runAsNonRoot"))) {
                problems.add(cid + ": may run as root");
            }
            if (!Boolean.FALSE.equals(security.get("allowPrivilegeEscalation"))) {
                problems.add(cid + ": allows privilege escalation");
            }
            if (!list(get(security, "capabilities", "drop")).contains("ALL")) {
                problems.add(cid + ": does not drop all capabilities");
            }
            Object seccomp = get(security, "seccompProfile", "type") != null ? get(security, "seccompProfile", "type")
                    : get(podSecurity, "seccompProfile", "type");
            if (!"RuntimeDefault".equals(seccomp)) {
                problems.add(cid + ": seccomp profile is " + seccomp + ", not RuntimeDefault");
            }
            if (!Boolean.TRUE.equals(security.get("readOnlyRootFilesystem"))) {
                problems.add(cid + ": root filesystem is writable");
            }
            boolean tmp = list(container.get("volumeMounts")).stream().map(PodChecks::map)
                    .anyMatch(m -> "/tmp".equals(m.get("mountPath")) && emptyDirs.contains(m.get("name")));
            if (!tmp) {
                problems.add(cid + ": no emptyDir mounted at /tmp");
            }
            for (String part : List.of("requests", "limits")) {
                for (String resource : List.of("cpu", "memory")) {
                    if (get(container, "resources", part, resource) == null) {
                        problems.add(cid + ": no " + resource + " " + part);
                    }
                }
            }
            String image = (String) container.get("image");
            String lastPart = image.substring(image.lastIndexOf('/') + 1);
            if (image.endsWith(":latest") || !(lastPart.contains(":") || image.contains("@sha256:"))) {
                problems.add(cid + ": image " + image + " is not pinned");
            }
            if (longRunning && mainContainers.contains(c)) {
                Object liveness = container.get("livenessProbe");
                Object readiness = container.get("readinessProbe");
                if (liveness == null || readiness == null) {
                    problems.add(cid + ": missing liveness or readiness probe");
                } else if (liveness.equals(readiness)) {
                    problems.add(cid + ": liveness and readiness probes are identical");
                }
            }
        }
    }

    private static final java.util.regex.Pattern REFERENCE = java.util.regex.Pattern.compile("\\$(\\$|\\(([-._a-zA-Z][-._a-zA-Z0-9]*)\\))");

    /**
     * Kubernetes expands $(NAME) in a variable's value only to a variable defined before it in the
     * list (or by envFrom): every reference must find one. Skipped for containers that take a
     * Secret's keys as variables (the test cannot see them).
     */
    private void checkReferences(String cid, Map<String, Object> container) {
        java.util.Set<String> defined = new java.util.HashSet<>();
        for (Object from : list(container.get("envFrom"))) {
            if (map(from).containsKey("secretRef")) {
                return;
            }
            Object configMap = get(from, "configMapRef", "name");
            documents.stream().filter(d -> "ConfigMap".equals(d.get("kind")) && Objects.equals(get(d, "metadata", "name"), configMap))
                    .forEach(d -> defined.addAll(map(d.get("data")).keySet()));
        }
        for (Object e : list(container.get("env"))) {
            Map<String, Object> env = map(e);
            if (env.get("value") instanceof String value) {
                java.util.regex.Matcher m = REFERENCE.matcher(value);
                while (m.find()) {
                    if (m.group(2) != null && !defined.contains(m.group(2))) {
                        problems.add(cid + ": " + env.get("name") + " references $(" + m.group(2) + "), which no variable before it defines");
                    }
                }
            }
            defined.add((String) env.get("name"));
        }
    }

    /**
     * The single files a workload's main container mounts (subPath mounts, each read-only): path to
     * "secret NAME[ (optional)], key KEY" or "configMap NAME, key KEY".
     */
    static Map<String, String> fileMounts(Map<String, Object> deployment) {
        Object pod = get(deployment, "spec", "template", "spec");
        Map<String, String> sources = new java.util.TreeMap<>();
        for (Object volume : list(get(pod, "volumes"))) {
            if (get(volume, "secret") != null) {
                sources.put((String) get(volume, "name"), "secret " + get(volume, "secret", "secretName")
                        + (Boolean.TRUE.equals(get(volume, "secret", "optional")) ? " (optional)" : ""));
            } else if (get(volume, "configMap") != null) {
                sources.put((String) get(volume, "name"), "configMap " + get(volume, "configMap", "name"));
            }
        }
        Map<String, String> files = new java.util.TreeMap<>();
        for (Object mount : list(get(list(get(pod, "containers")).get(0), "volumeMounts"))) {
            if (get(mount, "subPath") != null) {
                org.junit.jupiter.api.Assertions.assertEquals(true, get(mount, "readOnly"), "read-only: " + mount);
                files.put((String) get(mount, "mountPath"), sources.get(get(mount, "name")) + ", key " + get(mount, "subPath"));
            }
        }
        return files;
    }

    static Object get(Object root, String... path) {
        Object current = root;
        for (String key : path) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = m.get(key);
        }
        return current;
    }

    static Map<String, Object> map(Object value) {
        return dev.castle.testing.ApiServerChecks.map(value);
    }

    static List<Object> list(Object value) {
        return dev.castle.testing.ApiServerChecks.list(value);
    }
}
