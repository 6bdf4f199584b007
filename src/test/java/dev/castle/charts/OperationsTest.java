package dev.castle.charts;

import static dev.castle.charts.PodChecks.get;
import static dev.castle.charts.PodChecks.list;
import static dev.castle.charts.PodChecks.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.castle.testing.KubeSchemaValidator;
import dev.castle.testing.Tools;

/**
 * Given the shop, which exposes, autoscales, scrapes, alerts, traces and migrates, when Helm 3 and
 * Helm 4 render it on a cluster that serves the custom resource APIs, then every object validates
 * (CRDs included) and points at something that exists; on a cluster without them, the custom
 * resources disappear unless forced.
 */
@Tag("integration")
class OperationsTest {
    private static final List<String> APIS = List.of("monitoring.coreos.com/v1/ServiceMonitor", "monitoring.coreos.com/v1/PodMonitor",
            "monitoring.coreos.com/v1/PrometheusRule", "keda.sh/v1alpha1/ScaledObject", "cert-manager.io/v1/Certificate",
            "autoscaling.k8s.io/v1/VerticalPodAutoscaler", "gateway.networking.k8s.io/v1/HTTPRoute");
    private static final Set<String> CUSTOM = Set.of("ServiceMonitor", "PodMonitor", "PrometheusRule", "ScaledObject",
            "Certificate", "VerticalPodAutoscaler");

    @TempDir
    static Path out;
    static Path chart;

    @BeforeAll
    static void generate() {
        chart = Generation.generate(Tools.projectDir().resolve("examples/shop/castle.yaml"), out);
    }

    static List<Map<String, Object>> render(Path helm, boolean withApis, String... sets) {
        List<String> command = new ArrayList<>(List.of(helm.toString(), "template", "shop", chart.toString(), "--namespace", "shop"));
        if (withApis) {
            APIS.forEach(api -> command.addAll(List.of("--api-versions", api)));
        }
        for (String set : sets) {
            command.addAll(List.of("--set", set));
        }
        String rendered = Tools.run(out, command).assertOk().stdout();
        KubeSchemaValidator.shared().assertValid(rendered);
        return KubeSchemaValidator.documents(rendered);
    }

    private static List<Map<String, Object>> kind(List<Map<String, Object>> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(d.get("kind"))).toList();
    }

    private static Map<String, Object> named(List<Map<String, Object>> docs, String kind, String name) {
        return docs.stream().filter(d -> kind.equals(d.get("kind")) && name.equals(get(d, "metadata", "name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + "/" + name));
    }

    @Test
    void everyObjectPointsAtSomethingThatExists() {
        for (Path helm : List.of(Tools.helm3(), Tools.helm4())) {
            List<Map<String, Object>> docs = render(helm, true);
            for (String kind : List.of("HorizontalPodAutoscaler", "ScaledObject", "VerticalPodAutoscaler")) {
                List<Map<String, Object>> scalers = kind(docs, kind);
                assertFalse(scalers.isEmpty(), kind);
                for (Map<String, Object> scaler : scalers) {
                    Map<String, Object> target = map(get(scaler, "spec", kind.equals("VerticalPodAutoscaler") ? "targetRef" : "scaleTargetRef"));
                    Map<String, Object> workload = named(docs, (String) target.get("kind"), (String) target.get("name"));
                    if (!kind.equals("VerticalPodAutoscaler")) {
                        assertNull(get(workload, "spec", "replicas"), kind + " target " + target + " sets no replicas");
                    }
                }
            }
            assertEquals(2, kind(docs, "HorizontalPodAutoscaler").size() + kind(docs, "ScaledObject").size() - 1,
                    "frontend and catalog autoscale with an HPA, notifications with KEDA");

            for (Map<String, Object> monitor : kind(docs, "ServiceMonitor")) {
                Map<String, Object> selector = map(get(monitor, "spec", "selector", "matchLabels"));
                String port = (String) get(list(get(monitor, "spec", "endpoints")).get(0), "port");
                boolean found = kind(docs, "Service").stream().anyMatch(s -> map(get(s, "metadata", "labels")).entrySet().containsAll(selector.entrySet())
                        && list(get(s, "spec", "ports")).stream().anyMatch(p -> port.equals(map(p).get("name"))));
                assertTrue(found, "ServiceMonitor " + get(monitor, "metadata", "name") + " selects a Service with port " + port);
            }
            List<Map<String, Object>> podMonitors = kind(docs, "PodMonitor");
            assertEquals(2, podMonitors.size(), "api-gateway and catalog serve metrics on ports their Service does not carry");
            for (Map<String, Object> monitor : podMonitors) {
                Map<String, Object> selector = map(get(monitor, "spec", "selector", "matchLabels"));
                String port = (String) get(list(get(monitor, "spec", "podMetricsEndpoints")).get(0), "port");
                boolean found = new RenderedTraffic(docs, "default").workloads.stream()
                        .anyMatch(w -> w.pod().labels().entrySet().containsAll(selector.entrySet()) && podHasPort(docs, w.name(), port));
                assertTrue(found, "PodMonitor " + get(monitor, "metadata", "name") + " selects pods with port " + port);
            }

            for (Map<String, Object> route : docs.stream().filter(d -> List.of("HTTPRoute", "GRPCRoute").contains(d.get("kind"))).toList()) {
                for (Object rule : list(get(route, "spec", "rules"))) {
                    for (Object ref : list(map(rule).get("backendRefs"))) {
                        assertServicePort(docs, (String) map(ref).get("name"), ((Number) map(ref).get("port")).intValue());
                    }
                }
            }
            assertEquals(List.of("shop.example.com"), get(named(docs, "HTTPRoute", "shop-frontend"), "spec", "hostnames"));
            Map<String, Object> ingress = named(docs, "Ingress", "shop-api-gateway");
            assertEquals("letsencrypt-prod", get(ingress, "metadata", "annotations", "cert-manager.io/cluster-issuer"));
            for (Object rule : list(get(ingress, "spec", "rules"))) {
                for (Object path : list(get(rule, "http", "paths"))) {
                    assertServicePort(docs, (String) get(path, "backend", "service", "name"),
                            ((Number) get(path, "backend", "service", "port", "number")).intValue());
                }
            }

            List<Map<String, Object>> rules = kind(docs, "PrometheusRule");
            assertEquals(9, rules.size(), "one per service");
            int alerts = 0;
            for (Map<String, Object> rule : rules) {
                for (Object group : list(get(rule, "spec", "groups"))) {
                    for (Object r : list(map(group).get("rules"))) {
                        Map<String, Object> alert = map(r);
                        String name = (String) alert.get("alert");
                        assertTrue(alert.get("expr") instanceof String e && !e.isBlank() && !e.contains("{namespace}") && !e.contains("{fullname}"), name);
                        assertNotNull(alert.get("for"), name + " has a for");
                        assertTrue(Set.of("critical", "warning", "info").contains(get(alert, "labels", "severity")), name + " has a severity");
                        assertTrue(get(alert, "annotations", "summary") instanceof String s && !s.isBlank(), name + " has a summary");
                        assertNotNull(get(alert, "annotations", "description"), name + " has a description");
                        alerts++;
                    }
                }
            }
            assertTrue(alerts >= 25, "default alerts of nine services: " + alerts);
            String gatewayRules = rules.stream().filter(r -> "shop-api-gateway".equals(get(r, "metadata", "name"))).findFirst().orElseThrow().toString();
            assertTrue(gatewayRules.contains("ApiGatewayHighErrorRate") && gatewayRules.contains("ApiGatewayHighLatency"), gatewayRules);
            String catalogRules = rules.stream().filter(r -> "shop-catalog".equals(get(r, "metadata", "name"))).findFirst().orElseThrow().toString();
            assertTrue(catalogRules.contains("AutoscalerAtMaximum") && catalogRules.contains("runbooks.example.com"), catalogRules);
            assertFalse(rules.stream().filter(r -> "shop-notifications".equals(get(r, "metadata", "name"))).findFirst().orElseThrow()
                    .toString().contains("PodNotReady"), "an alert switched off in the descriptor");

            Map<String, Object> migrate = named(docs, "Job", "shop-orders-migrate");
            assertEquals("pre-install,pre-upgrade", get(migrate, "metadata", "annotations", "helm.sh/hook"));
            assertEquals("-5", get(migrate, "metadata", "annotations", "helm.sh/hook-weight"));
            assertEquals("hook", get(migrate, "spec", "template", "metadata", "labels", "castle.dev/track"));
            Map<String, Object> container = map(list(get(migrate, "spec", "template", "spec", "containers")).get(0));
            assertEquals(List.of("migrate", "--to", "latest"), container.get("args"));
            assertNull(container.get("livenessProbe"), "a hook has no probes");
            assertTrue(list(container.get("env")).toString().contains("DATABASE_URL"), "a hook has the service's environment");
            assertEquals("post-install,post-upgrade", get(named(docs, "Job", "shop-orders-smoke"), "metadata", "annotations", "helm.sh/hook"));

            Map<String, Object> frontend = named(docs, "Deployment", "shop-frontend");
            String env = list(get(frontend, "spec", "template", "spec", "containers")).toString();
            for (String variable : List.of("OTEL_SERVICE_NAME", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_TRACES_SAMPLER", "OTEL_TRACES_SAMPLER_ARG",
                    "OTEL_RESOURCE_ATTRIBUTES", "LOG_FORMAT")) {
                assertTrue(env.contains(variable), variable);
            }
            assertEquals("json", get(frontend, "spec", "template", "metadata", "annotations", "fluentbit.io/parser"));
        }
    }

    @Test
    void customResourcesDisappearWithoutTheirApiUnlessForced() {
        for (Path helm : List.of(Tools.helm3(), Tools.helm4())) {
            List<Map<String, Object>> without = render(helm, false);
            assertTrue(without.stream().noneMatch(d -> CUSTOM.contains(d.get("kind"))), "no custom resource without its API");
            assertFalse(kind(without, "HorizontalPodAutoscaler").isEmpty(), "built-in kinds stay");
            List<Map<String, Object>> forced = render(helm, false, "catalog.metrics.force=true", "catalog.alerts.force=true");
            assertEquals(1, kind(forced, "PodMonitor").size());
            assertEquals(1, kind(forced, "PrometheusRule").size());
            List<Map<String, Object>> off = render(helm, true, "frontend.alerts.enabled=false", "catalog.metrics.enabled=false");
            assertTrue(kind(off, "PrometheusRule").stream().noneMatch(r -> "shop-frontend".equals(get(r, "metadata", "name"))));
            assertTrue(kind(off, "PodMonitor").stream().noneMatch(r -> "shop-catalog".equals(get(r, "metadata", "name"))));
        }
    }

    private static boolean podHasPort(List<Map<String, Object>> docs, String name, String port) {
        return docs.stream().filter(d -> List.of("Deployment", "StatefulSet").contains(d.get("kind")))
                .filter(d -> name.equals(get(d, "spec", "template", "metadata", "labels", "app.kubernetes.io/name")))
                .flatMap(d -> list(get(d, "spec", "template", "spec", "containers")).stream())
                .flatMap(c -> list(map(c).get("ports")).stream())
                .anyMatch(p -> port.equals(map(p).get("name")));
    }

    private static void assertServicePort(List<Map<String, Object>> docs, String service, int port) {
        Map<String, Object> target = named(docs, "Service", service);
        assertTrue(list(get(target, "spec", "ports")).stream().anyMatch(p -> Objects.equals(((Number) map(p).get("port")).intValue(), port)),
                "Service " + service + " has port " + port);
    }
}
