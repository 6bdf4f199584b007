package dev.castle.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import dev.castle.cli.Pipeline;
import dev.castle.kustomize.RenderedBase;
import dev.castle.model.SystemModel;

/**
 * An embedded MySQL whose root password is in an existing Secret (auth.existingSecret.rootPasswordKey,
 * Train-Ticket's voucher store: the application logs in as root): the server reads root's password
 * there and lets root in from other pods; without the key root keeps a random password, inside the
 * pod only. Rendered by Helm's engine in-process (no Helm binary).
 */
class MysqlRootPasswordTest {
    private static final String DESCRIPTOR = """
            apiVersion: castle/v1alpha1
            kind: System
            metadata: {name: shop, version: 1.0.0}
            infrastructure:
              vouchers: {type: mysql, auth: {existingSecret: {name: vouchers, rootPasswordKey: root-password}}}
              orders: {type: mysql, auth: {existingSecret: {name: orders}}}
            services:
              web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, dependsOn: [vouchers, orders]}
            """;

    @Test
    @SuppressWarnings("unchecked")
    void theKeyIsAValueOnlyWhereWritten() throws Exception {
        SystemModel system = NamespaceQuotaTest.bind(DESCRIPTOR);
        Map<String, Object> vouchers = (Map<String, Object>) InfrastructureValues.forInfrastructure(system, system.infrastructure("vouchers").orElseThrow())
                .tree().get("auth");
        Map<String, Object> orders = (Map<String, Object>) InfrastructureValues.forInfrastructure(system, system.infrastructure("orders").orElseThrow())
                .tree().get("auth");
        assertEquals("root-password", vouchers.get("rootPasswordKey"));
        assertFalse(orders.containsKey("rootPasswordKey"), "no root password from the Secret unless asked");
    }

    @Test
    void rootReadsItsPasswordFromTheSecretAndLogsInFromOtherPods() throws Exception {
        List<Map<String, Object>> docs = RenderedBase.documents(Pipeline.generate(NamespaceQuotaTest.bind(DESCRIPTOR), Optional.empty(), true));
        Map<String, String> vouchers = env(docs, "shop-vouchers");
        assertEquals("<secret vouchers/root-password>", vouchers.get("MYSQL_ROOT_PASSWORD"));
        assertEquals("%", vouchers.get("MYSQL_ROOT_HOST"));
        assertFalse(vouchers.containsKey("MYSQL_RANDOM_ROOT_PASSWORD"));
        assertEquals("<secret vouchers/password>", vouchers.get("MYSQL_PASSWORD"), "the application user as before");
        Map<String, String> orders = env(docs, "shop-orders");
        assertEquals("yes", orders.get("MYSQL_RANDOM_ROOT_PASSWORD"));
        assertEquals("localhost", orders.get("MYSQL_ROOT_HOST"));
        assertFalse(orders.containsKey("MYSQL_ROOT_PASSWORD"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> env(List<Map<String, Object>> docs, String statefulSet) {
        Map<String, Object> set = docs.stream().filter(d -> "StatefulSet".equals(d.get("kind"))
                && statefulSet.equals(((Map<String, Object>) d.get("metadata")).get("name"))).findFirst().orElseThrow();
        Map<String, Object> pod = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) set.get("spec")).get("template")).get("spec");
        Map<String, Object> server = (Map<String, Object>) ((List<Object>) pod.get("containers")).get(0);
        Map<String, String> env = new TreeMap<>();
        for (Object o : (List<Object>) server.get("env")) {
            Map<String, Object> e = (Map<String, Object>) o;
            Map<String, Object> from = (Map<String, Object>) e.get("valueFrom");
            Map<String, Object> key = from == null ? null : (Map<String, Object>) from.get("secretKeyRef");
            env.put((String) e.get("name"), key != null ? "<secret " + key.get("name") + "/" + key.get("key") + ">" : String.valueOf(e.get("value")));
        }
        return env;
    }
}
