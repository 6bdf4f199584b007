package dev.castle.charts;

import static dev.castle.charts.PodChecks.get;
import static dev.castle.charts.PodChecks.list;
import static dev.castle.charts.PodChecks.map;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.castle.testing.KubeSchemaValidator;
import dev.castle.testing.Tools;

/**
 * Given the boutique example, when Helm renders it and Kubernetes would expand its variables, then
 * every service gets each variable the Online Boutique v0.10.2 release manifests give it, with the
 * same value but for the Service names (castle's are {@code <release>-<service>}) and the Redis
 * password the cart store needs here: the images run as they do in the demo.
 */
@Tag("integration")
class BoutiqueWiringTest {
    private static final Pattern REFERENCE = Pattern.compile("\\$\\(([-._a-zA-Z][-._a-zA-Z0-9]*)\\)");

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
            Map.entry("cartservice", Map.of("REDIS_ADDR", "redis-cart:6379,password=<secret boutique-redis-cart/password>")),
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
            Map<String, String> env = expanded(docs, service);
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

    /** The main container's variables of the service, $(VAR) expanded as Kubernetes does, a Secret key as <secret name/key>. */
    private static Map<String, String> expanded(List<Map<String, Object>> docs, String service) {
        Map<String, Object> deployment = docs.stream().filter(d -> "Deployment".equals(d.get("kind")))
                .filter(d -> ("boutique-" + service).equals(get(d, "metadata", "name"))).findFirst().orElseThrow();
        Map<String, String> env = new LinkedHashMap<>();
        for (Object e : list(get(list(get(deployment, "spec", "template", "spec", "containers")).get(0), "env"))) {
            Map<String, Object> entry = map(e);
            Object secret = get(entry, "valueFrom", "secretKeyRef");
            String value = secret != null ? "<secret " + get(secret, "name") + "/" + get(secret, "key") + ">"
                    : String.valueOf(entry.getOrDefault("value", ""));
            Matcher m = REFERENCE.matcher(value);
            StringBuilder text = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(text, Matcher.quoteReplacement(env.getOrDefault(m.group(1), m.group())));
            }
            m.appendTail(text);
            env.put((String) entry.get("name"), text.toString());
        }
        return env;
    }
}
