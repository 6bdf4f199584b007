package dev.castle.charts;

import static dev.castle.charts.PodChecks.get;
import static dev.castle.charts.PodChecks.list;
import static dev.castle.charts.PodChecks.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.castle.testing.KubeSchemaValidator;
import dev.castle.testing.Tools;

/**
 * Given a component provided by an upstream chart and one outside the cluster, the parent chart
 * depends on the upstream chart (pinned, aliased, conditional), passes its values through, and the
 * caller is wired to both: addresses, credentials by secretKeyRef, and egress only to them. The
 * upstream chart is replaced by a local stub of the same name and version, as
 * {@code helm dependency build} would place it (the tests have no network).
 */
@Tag("integration")
class ChartModeTest {
    @Test
    void upstreamChartAndExternalDatabaseAreWired(@TempDir Path out) throws Exception {
        Path chart = Generation.generate(Tools.projectDir().resolve("src/test/resources/descriptors/chart-mode/castle.yaml"), out);
        Map<String, Object> chartYaml = KubeSchemaValidator.documents(Files.readString(chart.resolve("Chart.yaml"))).get(0);
        Map<String, Object> dependency = list(chartYaml.get("dependencies")).stream().map(PodChecks::map)
                .filter(d -> "orders-db".equals(d.get("alias"))).findFirst().orElseThrow();
        assertEquals(Map.of("name", "postgresql", "version", "16.4.0", "repository", "oci://registry-1.docker.io/bitnamicharts",
                "alias", "orders-db", "condition", "orders-db.enabled"), dependency);
        Map<String, Object> values = KubeSchemaValidator.documents(Files.readString(chart.resolve("values.yaml"))).get(0);
        assertEquals("orders", get(values, "orders-db", "auth", "database"), "values passed through");

        Map<String, Object> stack = list(chartYaml.get("dependencies")).stream().map(PodChecks::map)
                .filter(d -> "kube-prometheus-stack".equals(d.get("alias"))).findFirst().orElseThrow();
        assertEquals("kube-prometheus-stack.enabled", stack.get("condition"));
        assertEquals(false, get(values, "kube-prometheus-stack", "enabled"), "the stack is off until asked for");

        for (String[] stubChart : List.of(new String[] {"postgresql", "16.4.0"}, new String[] {"kube-prometheus-stack", (String) stack.get("version")})) {
            Path stub = out.resolve("stub-" + stubChart[0]);
            Files.createDirectories(stub.resolve("templates"));
            Files.writeString(stub.resolve("Chart.yaml"), "apiVersion: v2\nname: " + stubChart[0] + "\nversion: " + stubChart[1] + "\n");
            Tools.run(out, Tools.helm4().toString(), "package", stub.toString(), "-d", chart.resolve("charts").toString()).assertOk();
        }
        for (Path helm : List.of(Tools.helm3(), Tools.helm4())) {
            Tools.run(out, helm.toString(), "lint", "--strict", chart.toString()).assertOk();
            String withApis = Tools.run(out, helm.toString(), "template", "rel", chart.toString(),
                    "--api-versions", "gateway.networking.k8s.io/v1/Gateway",
                    "--api-versions", "opentelemetry.io/v1alpha1/Instrumentation").assertOk().stdout();
            KubeSchemaValidator.shared().assertValid(withApis);
            List<Map<String, Object>> full = KubeSchemaValidator.documents(withApis);
            Map<String, Object> gateway = full.stream().filter(d -> "Gateway".equals(d.get("kind"))).findFirst().orElseThrow();
            assertEquals("cilium", get(gateway, "spec", "gatewayClassName"));
            Map<String, Object> route = full.stream().filter(d -> "HTTPRoute".equals(d.get("kind"))).findFirst().orElseThrow();
            assertEquals(get(gateway, "metadata", "name"), get(list(get(route, "spec", "parentRefs")).get(0), "name"), "the route attaches to it");
            assertEquals("http://jaeger-collector.tracing:4317", get(full.stream().filter(d -> "Instrumentation".equals(d.get("kind")))
                    .findFirst().orElseThrow(), "spec", "exporter", "endpoint"));
            String rendered = Tools.run(out, helm.toString(), "template", "rel", chart.toString()).assertOk().stdout();
            assertFalse(rendered.contains("kind: Gateway\n") || rendered.contains("kind: Instrumentation"), "not without their API");
            KubeSchemaValidator.shared().assertValid(rendered);
            List<Map<String, Object>> docs = KubeSchemaValidator.documents(rendered);
            Map<String, Object> deployment = docs.stream().filter(d -> "Deployment".equals(d.get("kind"))).findFirst().orElseThrow();
            Map<String, Object> container = map(list(get(deployment, "spec", "template", "spec", "containers")).get(0));
            Map<String, Object> env = new java.util.TreeMap<>();
            list(container.get("env")).forEach(e -> env.put((String) map(e).get("name"),
                    map(e).containsKey("value") ? map(e).get("value") : get(e, "valueFrom", "secretKeyRef")));
            assertEquals("rel-orders-db", env.get("ORDERS_DB_HOST"));
            assertEquals("postgresql://rel-orders-db:5432/orders_db", env.get("ORDERS_DB_URL"));
            assertEquals(Map.of("name", "orders-db-auth", "key", "password"), env.get("ORDERS_DB_PASSWORD"));
            assertEquals("billing.example.com", env.get("BILLING_HOST"));
            assertEquals("mysql://billing.example.com:3306/billing", env.get("BILLING_URL"));
            assertEquals(Map.of("name", "billing-credentials", "key", "username"), env.get("BILLING_USERNAME"));
            List<Object> initNames = list(get(deployment, "spec", "template", "spec", "initContainers")).stream()
                    .map(c -> map(c).get("name")).toList();
            assertEquals(List.of("wait-for-billing", "wait-for-orders-db"), initNames, "one wait per start-up dependency, by name");

            Map<String, Object> policy = docs.stream().filter(d -> "NetworkPolicy".equals(d.get("kind"))
                    && "rel-orders".equals(get(d, "metadata", "name"))).findFirst().orElseThrow();
            List<Object> egress = list(get(policy, "spec", "egress"));
            assertEquals(2, egress.size(), "egress to exactly the two dependencies: " + egress);
            assertTrue(egress.toString().contains("app.kubernetes.io/instance=rel") && egress.toString().contains("app.kubernetes.io/name=orders-db"),
                    "the upstream chart's pods, by their labels: " + egress);
            assertTrue(egress.toString().contains("cidr=192.0.2.0/24"), "the external database, by its CIDR: " + egress);
            assertFalse(rendered.contains("kind: StatefulSet"), "no embedded workload for chart or external components");
        }
    }
}
