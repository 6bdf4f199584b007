package dev.castle.charts;

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
import dev.castle.model.NetworkPolicies;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;
import dev.castle.testing.KubeSchemaValidator;
import dev.castle.testing.Tools;

/**
 * Given each descriptor, when Helm renders the generated chart (alone, and with each values-<env>.yaml
 * in its environment's namespace, against that environment's model), then the NetworkPolicies let
 * exactly the declared graph through: every pod may reach every dependency on its port and the
 * cluster DNS; outsiders reach only NodePort/LoadBalancer ports; the monitoring namespace reaches
 * only metrics ports; nothing more, nothing less.
 */
@Tag("integration")
class NetworkReachabilityTest {
    private static final String NAMESPACE = "shopns";

    /** The system without what an environment switches off (and without the dependencies on it). */
    private static SystemModel running(SystemModel model, java.util.function.Predicate<String> runs) {
        List<Service> services = model.services().stream().filter(s -> runs.test(s.name())).map(s -> new Service(s.name(), s.description(),
                s.workload(), s.component(), s.container(), s.network(), s.configuration(), s.volumes(), s.scheduling(), s.pod(), s.job(),
                s.dependsOn().stream().filter(d -> runs.test(d.name())).toList(), s.operations(), s.canary(), s.companions(), s.declared(),
                s.versions())).toList();
        return new SystemModel(model.metadata(), services, model.infrastructure().stream().filter(i -> runs.test(i.name())).toList(),
                model.network(), model.namespace(), model.gateway(), model.observability(), model.secrets(), model.gitops(), model.environments(),
                model.serviceAccounts(), model.sharedConfig(), model.helpers());
    }

    static Stream<Path> descriptors() {
        return Generation.descriptors().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("descriptors")
    void policiesAllowExactlyTheDeclaredGraph(Path descriptor, @TempDir Path out) throws Exception {
        SystemModel base = Pipeline.model(descriptor);
        Path chart = Generation.generate(descriptor, out);
        String rendered = Tools.run(out, Tools.helm4().toString(), "template", base.metadata().name(), chart.toString(),
                "--namespace", NAMESPACE).assertOk().stdout();
        check(base, KubeSchemaValidator.documents(rendered), name -> true, NAMESPACE);
        // each environment: its values-<env>.yaml over the chart, against the environment's own model
        for (SystemModel.Environment environment : base.environments()) {
            String env = Tools.run(out, Tools.helm4().toString(), "template", base.metadata().name(), chart.toString(), "--namespace", environment.namespace(),
                    "-f", chart.resolve("values-" + environment.name() + ".yaml").toString()).assertOk().stdout();
            try {
                check(environment.model(), KubeSchemaValidator.documents(env), environment::enabled, environment.namespace());
            } catch (AssertionError e) {
                throw new AssertionError("environment " + environment.name() + ": " + e.getMessage(), e);
            }
        }
    }

    /** The reachability checks of one rendering, for the services and components that run in it. */
    private static void check(SystemModel all, List<Map<String, Object>> docs, java.util.function.Predicate<String> runs, String namespace) {
        SystemModel model = running(all, runs);
        NetworkPolicyEvaluator policies = new NetworkPolicyEvaluator(docs, namespace);
        if (!model.network().policies()) {
            assertTrue(docs.stream().noneMatch(d -> "NetworkPolicy".equals(d.get("kind"))), "policies switched off");
            return;
        }
        RenderedTraffic traffic = new RenderedTraffic(docs, namespace);
        List<RenderedTraffic.Workload> pods = traffic.workloads;
        assertFalse(pods.isEmpty());

        TreeSet<String> expected = new TreeSet<>();
        TreeSet<String> actual = new TreeSet<>();
        for (Service caller : model.services()) {
            for (Dependency d : caller.dependsOn()) {
                if (d.kind() == Dependency.Kind.service || d.kind() == Dependency.Kind.embedded) {
                    expected.add(caller.name() + " -> " + d.name() + ":" + d.targetPort() + "/" + d.protocol());
                }
            }
            // a traced service reaches its tracing backend's OTLP port without a dependsOn edge
            caller.tracesTo().ifPresent(b -> expected.add(caller.name() + " -> " + b.component() + ":" + b.port() + "/TCP"));
        }
        for (RenderedTraffic.Workload from : pods) {
            for (RenderedTraffic.Workload to : pods) {
                for (RenderedTraffic.PortSpec port : to.ports()) {
                    if (policies.allowed(from.pod(), to.pod(), port.port(), port.protocol())) {
                        actual.add(from.name() + " -> " + to.name() + ":" + port.port() + "/" + port.protocol());
                    }
                }
            }
        }
        assertEquals(expected, actual, "pod-to-pod reachability inside the release, port and protocol");

        List<String> throughServices = new ArrayList<>();
        for (Service caller : model.services()) {
            for (Dependency d : caller.dependsOn()) {
                if (d.kind() != Dependency.Kind.service && d.kind() != Dependency.Kind.embedded) {
                    continue;
                }
                for (RenderedTraffic.Workload from : pods.stream().filter(w -> w.name().equals(caller.name())).toList()) {
                    // a version that does not call the dependency (versions.<v>.dependsOn) must not reach it
                    Object version = from.pod().labels().get("version");
                    boolean calls = version == null || caller.versions().flatMap(v -> v.versions().stream().filter(x -> x.name().equals(version))
                            .findFirst()).map(x -> x.calls(d.name())).orElse(true);
                    if (calls) {
                        throughServices.addAll(traffic.problemsCalling(from, d.host().replace("{release}", model.metadata().name()), d.port(),
                                d.protocol().name(), policies));
                    } else {
                        for (RenderedTraffic.Workload to : pods.stream().filter(w -> w.name().equals(d.name())).toList()) {
                            if (policies.allowed(from.pod(), to.pod(), d.targetPort(), d.protocol().name())) {
                                throughServices.add(caller.name() + " " + version + " reaches " + d.name() + ", which it does not call");
                            }
                        }
                    }
                }
            }
        }
        for (Service caller : model.services()) {
            caller.tracesTo().ifPresent(b -> {
                for (RenderedTraffic.Workload from : pods.stream().filter(w -> w.name().equals(caller.name())).toList()) {
                    throughServices.addAll(traffic.problemsCalling(from, b.host().replace("{release}", model.metadata().name()), b.port(), "TCP", policies));
                }
            });
        }
        assertEquals(List.of(), throughServices, "every caller reaches every pod behind the Service it calls (Flagger's included), and a version only what it calls");

        NetworkPolicyEvaluator.Pod dns = new NetworkPolicyEvaluator.Pod("coredns", model.network().dnsNamespace(), Map.of("k8s-app", "kube-dns"));
        for (RenderedTraffic.Workload pod : pods) {
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
                boolean extra = s.network().extraServices().stream().filter(dev.castle.model.ExtraService::reachableFromOutside)
                        .anyMatch(x -> x.ports().stream().anyMatch(xp -> xp.target().equals(p.name())));
                if (open && p.exposed() || extra) {
                    expectedOutside.add(entry);
                    expectedMonitoring.add(entry);
                }
                if (p.name().equals("metrics") || p.name().endsWith("-metrics")
                        || s.operations().metrics().map(m -> m.port().name().equals(p.name())).orElse(false)) {
                    expectedMonitoring.add(entry);
                }
            }
        }
        // an embedded component's metrics (metrics: true): its exporter's port, open to the monitoring namespace only
        model.infrastructure().stream().filter(i -> i.mode() == dev.castle.model.Infrastructure.Mode.embedded && i.server().metrics()
                && i.metricsPort() > 0).forEach(i -> expectedMonitoring.add(i.name() + ":" + i.metricsPort()));
        Map<NetworkPolicies.Proxies, TreeSet<String>> expectedByProxies = new java.util.LinkedHashMap<>();
        for (Service s : model.services()) {
            s.operations().expose().ifPresent(e -> NetworkPolicies.proxies(model, e).ifPresent(proxies ->
                    expectedByProxies.computeIfAbsent(proxies, k -> new TreeSet<>()).add(s.name() + ":" + e.port().port())));
        }
        for (var entry : expectedByProxies.entrySet()) {
            String proxyNamespace = entry.getKey().namespace().orElse(namespace);
            Map<String, Object> labels = new java.util.TreeMap<>(entry.getKey().podLabels());
            labels.put("app", "proxy");
            NetworkPolicyEvaluator.Pod proxy = new NetworkPolicyEvaluator.Pod("proxy", proxyNamespace, labels);
            NetworkPolicyEvaluator.Pod neighbour = new NetworkPolicyEvaluator.Pod("neighbour", proxyNamespace, Map.of("app", "neighbour"));
            TreeSet<String> reached = new TreeSet<>();
            TreeSet<String> reachedByNeighbour = new TreeSet<>();
            for (RenderedTraffic.Workload to : pods) {
                for (RenderedTraffic.PortSpec port : to.ports()) {
                    if (policies.allowed(proxy, to.pod(), port.port(), port.protocol())) {
                        reached.add(to.name() + ":" + port.port());
                    }
                    if (policies.allowed(neighbour, to.pod(), port.port(), port.protocol())) {
                        reachedByNeighbour.add(to.name() + ":" + port.port());
                    }
                }
            }
            TreeSet<String> expectedFromAnyone = new TreeSet<>(expectedOutside);
            if (proxyNamespace.equals(model.network().monitoringNamespace())) {
                expectedFromAnyone.addAll(expectedMonitoring);
            }
            TreeSet<String> expectedFromProxy = new TreeSet<>(entry.getValue());
            expectedFromProxy.addAll(expectedFromAnyone);
            assertEquals(expectedFromProxy, reached, "reachable from the proxies " + entry.getKey());
            if (!entry.getKey().podLabels().isEmpty()) {
                assertEquals(expectedFromAnyone, reachedByNeighbour, "reachable from another pod beside the proxies " + entry.getKey());
            }
        }
        TreeSet<String> outside = new TreeSet<>();
        TreeSet<String> monitoring = new TreeSet<>();
        for (RenderedTraffic.Workload to : pods) {
            for (RenderedTraffic.PortSpec port : to.ports()) {
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

        for (RenderedTraffic.Workload pod : pods) {
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
            List<dev.castle.model.Egress> egress = model.service(pod.name()).map(s -> s.network().egress()).orElse(List.of());
            TreeSet<String> declaredOutside = new TreeSet<>();
            for (dev.castle.model.Egress e : egress) {
                if (!e.cidrs().isEmpty()) {
                    e.ports().forEach(p -> declaredOutside.add(p.port() + "/" + p.protocol()));
                }
            }
            for (String port : declaredOutside) {
                String[] parts = port.split("/");
                assertTrue(policies.allowed(pod.pod(), internet, Integer.parseInt(parts[0]), parts[1]), pod.name() + " reaches its egress " + port);
            }
            for (String probe : List.of("443/TCP", "80/TCP", "514/UDP", "8443/TCP")) {
                String[] parts = probe.split("/");
                if (!callsExternal && !declaredOutside.contains(probe)) {
                    assertFalse(policies.allowed(pod.pod(), internet, Integer.parseInt(parts[0]), parts[1]),
                            pod.name() + " has no egress to the internet on " + probe);
                }
            }
        }
    }
}
