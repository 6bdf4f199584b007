package dev.castle.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.castle.testing.KubeSchemaValidator;
import dev.castle.testing.Tools;

/**
 * Given the generated shop chart, a wrong {@code --set} fails in Helm 3 and Helm 4 before anything
 * is rendered, with the offending value named; a right one changes what is rendered; the test
 * hook and the service switches work.
 */
@Tag("integration")
class ValuesSchemaTest {
    @TempDir
    static Path out;
    static Path chart;

    @BeforeAll
    static void generate() {
        chart = Generation.generate(Tools.projectDir().resolve("examples/shop/castle.yaml"), out);
    }

    private static Tools.Result template(Path helm, String... sets) {
        List<String> command = new java.util.ArrayList<>(List.of(helm.toString(), "template", "shop", chart.toString()));
        for (String set : sets) {
            command.add("--set");
            command.add(set);
        }
        return Tools.run(out, command);
    }

    @Test
    void wrongValuesFailEarlyWithTheirName() {
        for (Path helm : List.of(Tools.helm3(), Tools.helm4())) {
            for (String[] bad : List.of(
                    new String[] {"frontend.replicaCount=abc", "replicaCount"},
                    new String[] {"frontend.replcaCount=3", "replcaCount"},
                    new String[] {"fronted.enabled=false", "fronted"},
                    new String[] {"cart.image.pullPolicy=Sometimes", "pullPolicy"},
                    new String[] {"catalog.service.type=External", "type"},
                    new String[] {"orders.resources.limits.memory=lots", "memory"})) {
                Tools.Result result = template(helm, bad[0]);
                assertNotEquals(0, result.exitCode(), helm + " accepted --set " + bad[0]);
                assertTrue(result.stderr().contains(bad[1]), helm + " --set " + bad[0] + " names " + bad[1] + ":\n" + result.stderr());
            }
        }
    }

    @Test
    void rightValuesChangeTheOutput() {
        for (Path helm : List.of(Tools.helm3(), Tools.helm4())) {
            String rendered = template(helm, "payments.replicaCount=5", "cart.enabled=false",
                    "global.imageRegistry=mirror.example.com").assertOk().stdout();
            List<Map<String, Object>> docs = KubeSchemaValidator.documents(rendered);
            Map<String, Object> payments = docs.stream().filter(d -> "Deployment".equals(d.get("kind"))
                    && "shop-payments".equals(PodChecks.get(d, "metadata", "name"))).findFirst().orElseThrow();
            assertEquals(5, PodChecks.get(payments, "spec", "replicas"));
            Map<String, Object> frontend = docs.stream().filter(d -> "Deployment".equals(d.get("kind"))
                    && "shop-frontend".equals(PodChecks.get(d, "metadata", "name"))).findFirst().orElseThrow();
            assertTrue(docs.stream().noneMatch(d -> "shop-cart".equals(PodChecks.get(d, "metadata", "name"))), "cart disabled");
            String image = (String) PodChecks.map(PodChecks.list(PodChecks.get(frontend, "spec", "template", "spec", "containers")).get(0)).get("image");
            assertEquals("mirror.example.com/acme/shop-frontend:1.4.2", image);
        }
    }

    @Test
    void everyServiceWithAServiceHasAHelmTestHook() {
        String rendered = template(Tools.helm4()).assertOk().stdout();
        List<Map<String, Object>> docs = KubeSchemaValidator.documents(rendered);
        List<String> services = docs.stream().filter(d -> "Service".equals(d.get("kind")))
                .map(d -> (String) PodChecks.get(d, "metadata", "name")).filter(n -> !n.endsWith("-headless")).toList();
        List<String> hooks = docs.stream().filter(d -> "Pod".equals(d.get("kind"))
                && "test".equals(PodChecks.get(d, "metadata", "annotations", "helm.sh/hook")))
                .map(d -> ((String) PodChecks.get(d, "metadata", "name")).replaceFirst("-test$", "")).toList();
        assertEquals(services.stream().sorted().toList(), hooks.stream().sorted().toList());
        assertEquals(6, services.size(), "frontend, api-gateway, catalog, cart, orders, payments");
    }
}
