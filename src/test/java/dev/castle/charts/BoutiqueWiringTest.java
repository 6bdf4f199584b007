package dev.castle.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.castle.testing.KubeSchemaValidator;
import dev.castle.testing.Tools;

/**
 * Given the boutique example, when Helm renders it and Kubernetes would expand its variables, then
 * every service gets each variable the Online Boutique v0.10.2 release manifests give it, with the
 * same value but for the Service names (castle's are {@code <release>-<service>}): the images run
 * as they do in the demo (the cart store without a password, as there).
 */
@Tag("integration")
class BoutiqueWiringTest {
    /** Variables of the demo's release manifests (v0.10.2), by service; hosts are the demo's Service names. */
    private static final Map<String, Map<String, String>> DEMO = Map.ofEntries(Map.entry(
            "frontend", Map.of("PORT", "8080", "PRODUCT_CATALOG_SERVICE_ADDR", "productcatalogservice:3550",
                    "CURRENCY_SERVICE_ADDR", "currencyservice:7000", "CART_SERVICE_ADDR", "cartservice:7070",
                    "RECOMMENDATION_SERVICE_ADDR", "recommendationservice:8080", "SHIPPING_SERVICE_ADDR", "shippingservice:50051",
                    "CHECKOUT_SERVICE_ADDR", "checkoutservice:5050", "AD_SERVICE_ADDR", "adservice:9555",
                    "SHOPPING_ASSISTANT_SERVICE_ADDR", "shoppingassistantservice:80", "ENABLE_PROFILER", "0")),
            Map.entry("checkoutservice", Map.of("PORT", "5050", "PRODUCT_CATALOG_SERVICE_ADDR", "productcatalogservice:3550",
                    "SHIPPING_SERVICE_ADDR", "shippingservice:50051", "PAYMENT_SERVICE_ADDR", "paymentservice:50051",
                    "EMAIL_SERVICE_ADDR", "emailservice:5000", "CURRENCY_SERVICE_ADDR", "currencyservice:7000",
                    "CART_SERVICE_ADDR", "cartservice:7070")),
            Map.entry("recommendationservice", Map.of("PORT", "8080", "PRODUCT_CATALOG_SERVICE_ADDR", "productcatalogservice:3550", "DISABLE_PROFILER", "1")),
            Map.entry("cartservice", Map.of("REDIS_ADDR", "redis-cart:6379")),
            Map.entry("loadgenerator", Map.of("FRONTEND_ADDR", "frontend:80", "USERS", "10")),
            Map.entry("productcatalogservice", Map.of("PORT", "3550", "DISABLE_PROFILER", "1")),
            Map.entry("currencyservice", Map.of("PORT", "7000", "DISABLE_PROFILER", "1")),
            Map.entry("paymentservice", Map.of("PORT", "50051", "DISABLE_PROFILER", "1")),
            Map.entry("shippingservice", Map.of("PORT", "50051", "DISABLE_PROFILER", "1")),
            Map.entry("emailservice", Map.of("PORT", "8080", "DISABLE_PROFILER", "1")),
            Map.entry("adservice", Map.of("PORT", "9555")));
    private static final List<String> DEPLOYED = List.of("frontend", "checkoutservice", "recommendationservice", "cartservice",
            "loadgenerator", "productcatalogservice", "currencyservice", "paymentservice", "shippingservice", "emailservice",
            "adservice", "redis-cart");

    @Test
    void everyServiceGetsTheVariablesOfTheDemo(@TempDir Path out) {
        Path chart = Generation.generate(Tools.projectDir().resolve("examples/boutique/castle.yaml"), out);
        List<Map<String, Object>> docs = KubeSchemaValidator.documents(Tools.run(out, Tools.helm4().toString(), "template", "boutique",
                chart.toString(), "--namespace", "boutique").assertOk().stdout());
        Map<String, Map<String, String>> expected = new TreeMap<>();
        Map<String, Map<String, String>> actual = new TreeMap<>();
        DEMO.forEach((service, variables) -> {
            Map<String, String> castle = new TreeMap<>();
            variables.forEach((name, value) -> castle.put(name, renamed(value)));
            expected.put(service, castle);
            Map<String, String> env = RenderedEnv.of(docs, service);
            Map<String, String> got = new TreeMap<>();
            variables.keySet().forEach(name -> got.put(name, env.get(name)));
            actual.put(service, got);
        });
        assertEquals(expected, actual);
    }

    /** The demo's value with castle's Service names: boutique-<service>. */
    private static String renamed(String value) {
        for (String service : DEPLOYED) {
            if (value.startsWith(service + ":")) {
                return "boutique-" + value;
            }
        }
        return value;
    }
}
