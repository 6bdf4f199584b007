package dev.castle.charts;

import static dev.castle.charts.PodChecks.get;
import static dev.castle.charts.PodChecks.list;
import static dev.castle.charts.PodChecks.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.castle.cli.Pipeline;
import dev.castle.model.Dependency;
import dev.castle.model.Infrastructure;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;
import dev.castle.testing.KubeSchemaValidator;
import dev.castle.testing.Tools;

/**
 * Given each descriptor, when Helm renders the generated chart, then the NetworkPolicies let
 * exactly the declared graph through: every pod may reach every dependency on its port and the
 * cluster DNS; outsiders reach only NodePort/LoadBalancer ports; the monitoring namespace reaches
 * only metrics ports; nothing more, nothing less.
 */
@Tag("integration")
class NetworkReachabilityTest {
    private static final String NAMESPACE = "shopns";

    static Stream<Path> descriptors() {
        return Generation.descriptors().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("descriptors")
    void policiesAllowExactlyTheDeclaredGraph(Path descriptor, @TempDir Path out) throws Exception {
        SystemModel model = Pipeline.model(descriptor);
        Path chart = Generation.generate(descriptor, out);
        String rendered = Tools.run(out, Tools.helm4().toString(), "template", model.metadata().name(), chart.toString(),
                "--namespace", NAMESPACE).assertOk().stdout();
        List<Map<String, Object>> docs = KubeSchemaValidator.documents(rendered);
        NetworkPolicyEvaluator policies = new NetworkPolicyEvaluator(docs, NAMESPACE);
        if (!model.network().policies()) {
            assertTrue(docs.stream().noneMatch(d -> "NetworkPolicy".equals(d.get("kind"))), "policies switched off");
            return;
        }
        List<Workload> pods = workloads(docs);
        assertFalse(pods.isEmpty());

        TreeSet<String> expected = new TreeSet<>();
        TreeSet<String> actual = new TreeSet<>();
        for (Service caller : model.services()) {
            for (Dependency d : caller.dependsOn()) {
                if (d.kind() == Dependency.Kind.service || d.kind() == Dependency.Kind.embedded) {
                    expected.add(caller.name() + " -> " + d.name() + ":" + d.targetPort());
                }
            }
        }
        for (Workload from : pods) {
            for (Workload to : pods) {
                for (PortProto port : to.ports()) {
                    if (policies.allowed(from.pod(), to.pod(), port.port(), port.protocol())) {
                        actual.add(from.name() + " -> " + to.name() + ":" + port.port());
                    }
                }
            }
        }
        assertEquals(expected, actual, "pod-to-pod reachability inside the release");

        NetworkPolicyEvaluator.Pod dns = new NetworkPolicyEvaluator.Pod("coredns", model.network().dnsNamespace(), Map.of("k8s-app", "kube-dns"));
        for (Workload pod : pods) {
            assertTrue(policies.allowed(pod.pod(), dns, 53, "UDP") && policies.allowed(pod.pod(), dns, 53, "TCP"), pod.name() + " resolves names");
            assertFalse(policies.allowed(pod.pod(), dns, 80, "TCP"), pod.name() + " reaches DNS on 53 only");
        }

        NetworkPolicyEvaluator.Pod outsider = new NetworkPolicyEvaluator.Pod("outsider", "elsewhere", Map.of("app", "x"));
        NetworkPolicyEvaluator.Pod prometheus = new NetworkPolicyEvaluator.Pod("prometheus", model.network().monitoringNamespace(), Map.of("app", "prometheus"));
        TreeSet<String> expectedOutside = new TreeSet<>();
        TreeSet<String> expectedMonitoring = new TreeSet<>();
        for (Service s : model.services()) {
            boolean open = s.hasService() && s.network().service().reachableFromOutside();
            for (Service.Port p : s.ports()) {
                String entry = s.name() + ":" + p.port();
                if (open && p.exposed()) {
                    expectedOutside.add(entry);
                    expectedMonitoring.add(entry);
                }
                if (p.name().equals("metrics") || p.name().endsWith("-metrics")) {
                    expectedMonitoring.add(entry);
                }
            }
        }
        java.util.Map<String, TreeSet<String>> expectedByProxyNamespace = new java.util.TreeMap<>();
        for (Service s : model.services()) {
            s.operations().expose().filter(e -> e.via().proxied()).ifPresent(e ->
                    expectedByProxyNamespace.computeIfAbsent(dev.castle.model.NetworkPolicies.exposingNamespace(model, e), k -> new TreeSet<>())
                            .add(s.name() + ":" + e.port().port()));
        }
        for (var entry : expectedByProxyNamespace.entrySet()) {
            NetworkPolicyEvaluator.Pod proxy = new NetworkPolicyEvaluator.Pod("proxy", entry.getKey(), Map.of("app", "proxy"));
            TreeSet<String> reached = new TreeSet<>();
            for (Workload to : pods) {
                for (PortProto port : to.ports()) {
                    if (policies.allowed(proxy, to.pod(), port.port(), port.protocol())) {
                        reached.add(to.name() + ":" + port.port());
                    }
                }
            }
            TreeSet<String> expectedFromProxy = new TreeSet<>(entry.getValue());
            expectedFromProxy.addAll(expectedOutside);
            if (entry.getKey().equals(model.network().monitoringNamespace())) {
                expectedFromProxy.addAll(expectedMonitoring);
            }
            assertEquals(expectedFromProxy, reached, "reachable from the proxies in namespace " + entry.getKey());
        }
        TreeSet<String> outside = new TreeSet<>();
        TreeSet<String> monitoring = new TreeSet<>();
        for (Workload to : pods) {
            for (PortProto port : to.ports()) {
                if (policies.allowed(outsider, to.pod(), port.port(), port.protocol())) {
                    outside.add(to.name() + ":" + port.port());
                }
                if (policies.allowed(prometheus, to.pod(), port.port(), port.protocol())) {
                    monitoring.add(to.name() + ":" + port.port());
                }
            }
        }
        assertEquals(expectedOutside, outside, "reachable from outside the namespace");
        assertEquals(expectedMonitoring, monitoring, "reachable from the monitoring namespace");

        for (Workload pod : pods) {
            boolean callsExternal = model.service(pod.name()).map(s -> s.dependsOn().stream()
                    .anyMatch(d -> d.kind() == Dependency.Kind.external)).orElse(false);
            NetworkPolicyEvaluator.Pod internet = new NetworkPolicyEvaluator.Pod("internet", "<outside>", Map.of());
            for (Infrastructure infra : model.infrastructure()) {
                if (infra.mode() == Infrastructure.Mode.external) {
                    boolean calls = model.service(pod.name()).map(s -> s.dependsOn().stream().anyMatch(d -> d.name().equals(infra.name()))).orElse(false);
                    assertEquals(calls, policies.allowed(pod.pod(), internet, infra.port(), "TCP"),
                            pod.name() + " reaches external " + infra.name() + " exactly when it depends on it");
                }
            }
            if ("credentials".equals(pod.pod().labels().get("castle.dev/track"))) {
                // a credentials Job talks to the API server, whose address only the cluster knows
                assertTrue(policies.allowed(pod.pod(), internet, 443, "TCP") && policies.allowed(pod.pod(), internet, 6443, "TCP"),
                        pod.name() + " credentials Job reaches the API server");
                assertFalse(policies.allowed(pod.pod(), internet, 80, "TCP"), pod.name() + " credentials Job reaches nothing else");
                continue;
            }
            if (!callsExternal) {
                assertFalse(policies.allowed(pod.pod(), internet, 443, "TCP"), pod.name() + " has no egress to the internet");
            }
        }
    }

    record PortProto(int port, String protocol) {
    }

    record Workload(String name, NetworkPolicyEvaluator.Pod pod, List<PortProto> ports) {
    }

    /** Pods of the release's workloads, by their app.kubernetes.io/name. */
    static List<Workload> workloads(List<Map<String, Object>> docs) {
        List<Workload> pods = new ArrayList<>();
        for (Map<String, Object> doc : docs) {
            Object template = switch (String.valueOf(doc.get("kind"))) {
                case "Deployment", "StatefulSet", "Rollout", "Job" -> get(doc, "spec", "template");
                case "CronJob" -> get(doc, "spec", "jobTemplate", "spec", "template");
                default -> null;
            };
            if (template == null) {
                continue;
            }
            Map<String, Object> labels = map(get(template, "metadata", "labels"));
            List<PortProto> ports = new ArrayList<>();
            for (Object c : list(get(template, "spec", "containers"))) {
                for (Object p : list(map(c).get("ports"))) {
                    ports.add(new PortProto(((Number) map(p).get("containerPort")).intValue(),
                            (String) java.util.Objects.requireNonNullElse(map(p).get("protocol"), "TCP")));
                }
            }
            String name = (String) labels.get("app.kubernetes.io/name");
            pods.add(new Workload(name, new NetworkPolicyEvaluator.Pod(name, NAMESPACE, labels), ports));
        }
        return pods;
    }
}
