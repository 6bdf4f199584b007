package dev.castle.charts;

import static dev.castle.charts.PodChecks.get;
import static dev.castle.charts.PodChecks.list;
import static dev.castle.charts.PodChecks.map;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a cluster would run from rendered documents, enough to follow a connection: the pods of
 * every pod-bearing kind (Deployment, StatefulSet, DaemonSet, Job, CronJob, Argo Rollout, and the
 * primary Deployment Flagger makes of a Canary's target) with their ports, and the Services (the
 * rendered ones, and the three Flagger creates for each Canary, as Flagger writes them: TCP only,
 * the main port on its service port, the other container ports on their number).
 */
final class RenderedTraffic {
    /** A container port of a pod. */
    record PortSpec(int port, String name, String protocol) {
    }

    /** The pods of one workload, named by their app.kubernetes.io/name. */
    record Workload(String kind, String name, NetworkPolicyEvaluator.Pod pod, List<PortSpec> ports) {
        /** The container port a Service's targetPort (a number or a name) reaches on these pods. */
        Optional<PortSpec> target(Object targetPort, String protocol) {
            return ports.stream().filter(p -> p.protocol().equals(protocol))
                    .filter(p -> targetPort instanceof Number n ? p.port() == n.intValue() : Objects.equals(p.name(), targetPort))
                    .findFirst();
        }
    }

    record ServicePort(int port, Object targetPort, String protocol) {
    }

    record ServiceSpec(String name, Map<String, Object> selector, List<ServicePort> ports) {
        boolean selects(Workload w) {
            return !selector.isEmpty() && w.pod().labels().entrySet().containsAll(selector.entrySet());
        }
    }

    final List<Workload> workloads = new ArrayList<>();
    final List<ServiceSpec> services = new ArrayList<>();

    RenderedTraffic(List<Map<String, Object>> docs, String namespace) {
        Map<String, Map<String, Object>> templates = new LinkedHashMap<>();
        for (Map<String, Object> doc : docs) {
            String kind = String.valueOf(doc.get("kind"));
            Object template = switch (kind) {
                case "Deployment", "StatefulSet", "DaemonSet", "Job" -> get(doc, "spec", "template");
                case "Rollout" -> get(doc, "spec", "template");
                case "CronJob" -> get(doc, "spec", "jobTemplate", "spec", "template");
                default -> null;
            };
            if (template != null) {
                templates.put(kind + "/" + get(doc, "metadata", "name"), map(template));
                workloads.add(workload(kind, map(template), Map.of(), namespace));
            }
        }
        for (Map<String, Object> doc : docs) {
            if ("Rollout".equals(doc.get("kind")) && get(doc, "spec", "template") == null && get(doc, "spec", "workloadRef") != null) {
                Map<String, Object> ref = map(get(doc, "spec", "workloadRef"));
                Map<String, Object> template = templates.get(ref.get("kind") + "/" + ref.get("name"));
                if (template != null) {
                    workloads.add(workload("Rollout", template, Map.of(), namespace));
                }
            }
            if ("Service".equals(doc.get("kind"))) {
                List<ServicePort> ports = new ArrayList<>();
                for (Object p : list(get(doc, "spec", "ports"))) {
                    Map<String, Object> port = map(p);
                    int number = ((Number) port.get("port")).intValue();
                    ports.add(new ServicePort(number, Objects.requireNonNullElse(port.get("targetPort"), number),
                            (String) Objects.requireNonNullElse(port.get("protocol"), "TCP")));
                }
                services.add(new ServiceSpec((String) get(doc, "metadata", "name"), map(get(doc, "spec", "selector")), ports));
            }
        }
        for (Map<String, Object> doc : docs) {
            if ("Canary".equals(doc.get("kind"))) {
                flagger(doc, templates, namespace);
            }
        }
    }

    /**
     * What Flagger makes of a Canary (pkg/canary and pkg/router/kubernetes_default.go): a primary
     * copy of the target whose selector label ({@code app}) ends in {@code -primary}, and the
     * Services {@code <name>} and {@code <name>-primary} (primary pods) and {@code <name>-canary}
     * (the target's pods), every port TCP.
     */
    private void flagger(Map<String, Object> canary, Map<String, Map<String, Object>> templates, String namespace) {
        Map<String, Object> target = map(get(canary, "spec", "targetRef"));
        Map<String, Object> template = templates.get(target.get("kind") + "/" + target.get("name"));
        if (template == null) {
            return;
        }
        String app = (String) map(get(template, "metadata", "labels")).get("app");
        Workload primary = workload("Deployment", template, Map.of("app", app + "-primary"), namespace);
        workloads.add(primary);
        Map<String, Object> service = map(get(canary, "spec", "service"));
        int port = ((Number) service.get("port")).intValue();
        List<ServicePort> ports = new ArrayList<>();
        ports.add(new ServicePort(port, Objects.requireNonNullElse(service.get("targetPort"), port), "TCP"));
        if (Boolean.TRUE.equals(service.get("portDiscovery"))) {
            for (PortSpec p : primary.ports()) {
                boolean main = Objects.equals(p.name(), service.get("targetPort")) || Objects.equals(p.port(), service.get("targetPort"));
                if (!main) {
                    ports.add(new ServicePort(p.port(), p.port(), "TCP"));
                }
            }
        }
        String name = (String) target.get("name");
        services.add(new ServiceSpec(name, Map.of("app", app + "-primary"), ports));
        services.add(new ServiceSpec(name + "-primary", Map.of("app", app + "-primary"), ports));
        services.add(new ServiceSpec(name + "-canary", Map.of("app", app), ports));
    }

    private static Workload workload(String kind, Map<String, Object> template, Map<String, Object> relabel, String namespace) {
        Map<String, Object> labels = new LinkedHashMap<>(map(get(template, "metadata", "labels")));
        labels.putAll(relabel);
        List<PortSpec> ports = new ArrayList<>();
        for (Object c : list(get(template, "spec", "containers"))) {
            for (Object p : list(map(c).get("ports"))) {
                ports.add(new PortSpec(((Number) map(p).get("containerPort")).intValue(), (String) map(p).get("name"),
                        (String) Objects.requireNonNullElse(map(p).get("protocol"), "TCP")));
            }
        }
        String name = (String) labels.get("app.kubernetes.io/name");
        return new Workload(kind, name, new NetworkPolicyEvaluator.Pod(name, namespace, labels), List.copyOf(ports));
    }

    Optional<ServiceSpec> service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /**
     * Why a caller's pods cannot use the Service {@code name} on {@code port}/{@code protocol}, or
     * empty when every pod behind it accepts the connection through the policies.
     */
    List<String> problemsCalling(Workload caller, String name, int port, String protocol, NetworkPolicyEvaluator policies) {
        List<String> problems = new ArrayList<>();
        String edge = caller.name() + " -> " + name + ":" + port + "/" + protocol;
        Optional<ServiceSpec> service = service(name);
        if (service.isEmpty()) {
            return List.of(edge + ": no Service " + name);
        }
        Optional<ServicePort> servicePort = service.get().ports().stream().filter(p -> p.port() == port && p.protocol().equals(protocol)).findFirst();
        if (servicePort.isEmpty()) {
            return List.of(edge + ": the Service has no such port (it has " + service.get().ports() + ")");
        }
        List<Workload> behind = workloads.stream().filter(service.get()::selects).toList();
        if (behind.isEmpty()) {
            return List.of(edge + ": the Service selects no pod");
        }
        for (Workload w : behind) {
            Optional<PortSpec> target = w.target(servicePort.get().targetPort(), protocol);
            if (target.isEmpty()) {
                problems.add(edge + ": " + w.kind() + " pods of " + w.name() + " have no " + protocol + " port " + servicePort.get().targetPort());
            } else if (!policies.allowed(caller.pod(), w.pod(), target.get().port(), protocol)) {
                problems.add(edge + ": the network policies block " + w.kind() + " pods of " + w.name() + " on "
                        + target.get().port() + "/" + protocol);
            }
        }
        return problems;
    }
}
