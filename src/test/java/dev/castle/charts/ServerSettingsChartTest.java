package dev.castle.charts;

import static dev.castle.charts.PodChecks.get;
import static dev.castle.charts.PodChecks.list;
import static dev.castle.charts.PodChecks.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.castle.testing.KubeSchemaValidator;
import dev.castle.testing.Tools;

/**
 * Embedded servers with their own settings (descriptors/valid/server-settings.yaml) as Helm 3 and
 * Helm 4 render them, every object strictly valid: each configuration file, byte for byte, in the
 * component's -server ConfigMap, mounted read-only where the image reads it and given to the server
 * the way its entrypoint takes it (before castle's arguments); the user's arguments after castle's;
 * the user's variables beside castle's; a changed file restarts the pod (its checksum). With
 * metrics: the exporter a native sidecar hardened as the server, reading the server's Secret, its
 * port on the Service, a ServiceMonitor (forced: the test has no cluster) on it, and the
 * NetworkPolicy opening it to the monitoring namespace only.
 */
@Tag("integration")
class ServerSettingsChartTest {
    private static final Path DESCRIPTOR = Tools.projectDir().resolve("src/test/resources/descriptors/valid/server-settings.yaml");
    private static final Path FILES = DESCRIPTOR.getParent().resolve("files/servers");

    @TempDir
    static Path out;
    static Path chart;

    @BeforeAll
    static void generate() {
        chart = Generation.generate(DESCRIPTOR, out);
    }

    private static List<Map<String, Object>> render(Path helm, String... set) {
        return Generation.renderValid(out, helm, "s", chart, "--set-string", set);
    }

    private static Map<String, Object> named(List<Map<String, Object>> docs, String kind, String name) {
        return Generation.named(docs, kind, name);
    }

    private static Map<String, Object> container(List<Map<String, Object>> docs, String name) {
        return map(list(get(named(docs, "StatefulSet", "s-" + name), "spec", "template", "spec", "containers")).get(0));
    }

    @Test
    void filesArgsAndVariablesReachTheServerWithHelm3And4() throws Exception {
        for (Path helm : List.of(Tools.helm3(), Tools.helm4())) {
            List<Map<String, Object>> docs = render(helm);
            Map<String, String[]> files = Map.of("session-cache", new String[] {"redis.conf", "/usr/local/etc/redis"},
                    "catalogue-db", new String[] {"mongod.conf", "/etc/mongo"}, "orders-db", new String[] {"tuning.cnf", "/etc/mysql/conf.d"},
                    "queue", new String[] {"50-queues.conf", "/etc/rabbitmq/conf.d"});
            for (Map.Entry<String, String[]> f : files.entrySet()) {
                String file = f.getValue()[0];
                assertEquals(Files.readString(FILES.resolve(file)), get(named(docs, "ConfigMap", "s-" + f.getKey() + "-server"), "data", file),
                        helm + ": " + file + " as written");
                Map<String, Object> c = container(docs, f.getKey());
                assertTrue(list(c.get("volumeMounts")).contains(Map.of("name", "server-config", "mountPath", f.getValue()[1] + "/" + file,
                        "subPath", file, "readOnly", true)), helm + ": " + file + " mounted where the image reads it");
            }
            assertEquals(List.of("/usr/local/etc/redis/redis.conf"), container(docs, "session-cache").get("args"), "redis: the file first");
            assertEquals(List.of("--config", "/etc/mongo/mongod.conf"), container(docs, "catalogue-db").get("args"));
            assertEquals(List.of("-c", "max_connections=40", "-c", "shared_buffers=64MB"), container(docs, "ledger-db").get("args"));
            assertTrue(list(container(docs, "ledger-db").get("env")).contains(Map.of("name", "TZ", "value", "UTC")));
            assertTrue(list(container(docs, "events").get("env")).contains(Map.of("name", "KAFKA_NUM_PARTITIONS", "value", "3")));
            // a changed file restarts the pod
            Object before = get(named(docs, "StatefulSet", "s-session-cache"), "spec", "template", "metadata", "annotations", "checksum/config");
            Object after = get(named(render(helm, "session-cache.config.files.redis\\.conf=maxmemory 50mb"), "StatefulSet", "s-session-cache"),
                    "spec", "template", "metadata", "annotations", "checksum/config");
            assertTrue(before != null && !before.equals(after), helm + ": the checksum follows the file");
        }
    }

    @Test
    void metricsRunTheExporterBesideTheServerWithHelm3And4() {
        Map<String, Integer> ports = Map.of("session-cache", 9121, "catalogue-db", 9216, "orders-db", 9104, "ledger-db", 9187, "queue", 15692);
        for (Path helm : List.of(Tools.helm3(), Tools.helm4())) {
            String[] force = ports.keySet().stream().map(n -> n + ".metrics.force=true").toArray(String[]::new);
            List<String> command = new java.util.ArrayList<>(List.of(helm.toString(), "template", "s", chart.toString()));
            for (String f : force) {
                command.addAll(List.of("--set", f));
            }
            String rendered = Tools.run(out, command).assertOk().stdout();
            KubeSchemaValidator.shared().assertValid(rendered, Set.of());
            List<Map<String, Object>> docs = KubeSchemaValidator.documents(rendered);
            for (Map.Entry<String, Integer> e : ports.entrySet()) {
                String name = e.getKey();
                Map<String, Object> pod = map(get(named(docs, "StatefulSet", "s-" + name), "spec", "template", "spec"));
                Map<String, Object> server = map(list(pod.get("containers")).get(0));
                Map<String, Object> port = Map.of("name", "metrics", "containerPort", e.getValue(), "protocol", "TCP");
                if (name.equals("queue")) {
                    assertTrue(list(server.get("ports")).contains(port), helm + ": rabbitmq serves its own metrics");
                } else {
                    Map<String, Object> exporter = list(pod.get("initContainers")).stream().map(c -> map(c))
                            .filter(c -> "exporter".equals(c.get("name"))).findFirst().orElseThrow(() -> new AssertionError(name + ": no exporter"));
                    assertEquals("Always", exporter.get("restartPolicy"), name + ": a native sidecar");
                    assertEquals(List.of(port), exporter.get("ports"));
                    assertEquals(server.get("securityContext"), exporter.get("securityContext"), name + ": hardened as the server");
                }
                assertTrue(list(get(named(docs, "Service", "s-" + name), "spec", "ports")).stream().anyMatch(p -> "metrics".equals(map(p).get("name"))),
                        name + ": the metrics port on the Service");
                Map<String, Object> monitor = named(docs, "ServiceMonitor", "s-" + name);
                assertEquals("metrics", get(map(list(get(monitor, "spec", "endpoints")).get(0)), "port"));
                Map<String, Object> policy = named(docs, "NetworkPolicy", "s-" + name);
                assertTrue(list(get(policy, "spec", "ingress")).stream().anyMatch(r -> list(map(r).get("ports")).contains(Map.of("port", e.getValue(), "protocol", "TCP"))
                        && list(map(r).get("from")).stream().anyMatch(f -> get(f, "namespaceSelector") != null)), name + ": the monitoring namespace scrapes it");
            }
            // the exporters read the server's own Secret: mongodb's administrator, the others' user
            Map<String, Object> mongo = list(map(get(named(docs, "StatefulSet", "s-catalogue-db"), "spec", "template", "spec")).get("initContainers"))
                    .stream().map(c -> map(c)).filter(c -> "exporter".equals(c.get("name"))).findFirst().orElseThrow();
            assertTrue(list(mongo.get("env")).stream().anyMatch(v -> "MONGODB_PASSWORD".equals(map(v).get("name"))
                    && "root-password".equals(get(v, "valueFrom", "secretKeyRef", "key"))));
        }
    }
}
