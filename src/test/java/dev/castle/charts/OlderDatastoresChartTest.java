package dev.castle.charts;

import static dev.castle.charts.PodChecks.get;
import static dev.castle.charts.PodChecks.list;
import static dev.castle.charts.PodChecks.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.castle.testing.Tools;

/**
 * The older datastore versions (descriptors/valid/older-datastores.yaml) as Helm 3 and Helm 4 render
 * them, every object strictly valid. RabbitMQ before 3.10: castle's settings are the main
 * configuration file where the image reads it (rabbitmq.config in Erlang terms for 3.6,
 * rabbitmq.conf from 3.7, with 40% of the memory limit as the memory high watermark, which those
 * versions do not derive from the container's limit), so that the entrypoint writes none on the read-only root filesystem; no
 * RABBITMQ_DEFAULT_* variable; liveness by rabbitmqctl status; metrics from the exporter beside
 * it. MySQL 5.6: the same variables and data directory as later versions (checked against the 5.6
 * images' entrypoint), its exporter beside it. The images themselves are not started here.
 */
@Tag("integration")
class OlderDatastoresChartTest {
    private static final Path DESCRIPTOR = Tools.projectDir().resolve("src/test/resources/descriptors/valid/older-datastores.yaml");

    @TempDir
    static Path out;
    static Path chart;

    @BeforeAll
    static void generate() {
        chart = Generation.generate(DESCRIPTOR, out);
    }

    private static Map<String, Object> statefulSet(List<Map<String, Object>> docs, String name) {
        return Generation.named(docs, "StatefulSet", "o-" + name);
    }

    private static Map<String, Object> server(List<Map<String, Object>> docs, String name) {
        return map(list(get(statefulSet(docs, name), "spec", "template", "spec", "containers")).get(0));
    }

    private static Object exporter(List<Map<String, Object>> docs, String name) {
        return list(get(statefulSet(docs, name), "spec", "template", "spec", "initContainers")).stream()
                .filter(c -> "exporter".equals(get(c, "name"))).findFirst().orElseThrow();
    }

    private static Map<Object, Object> env(Map<String, Object> container) {
        Map<Object, Object> env = new TreeMap<>();
        list(container.get("env")).forEach(e -> env.put(get(e, "name"), get(e, "value") != null ? get(e, "value")
                : "<secret " + get(e, "valueFrom", "secretKeyRef", "name") + "/" + get(e, "valueFrom", "secretKeyRef", "key") + ">"));
        return env;
    }

    @Test
    void olderRabbitmqGetsCastlesMainConfigurationFileAndNoEntrypointVariables() {
        for (Path helm : List.of(Tools.helm3(), Tools.helm4())) {
            List<Map<String, Object>> docs = Generation.renderValid(out, helm, "o", chart, "--set-string");
            Map<String, String[]> files = Map.of(
                    "queue36", new String[] {"/etc/rabbitmq/rabbitmq.config", "rabbitmq.config", "[ { rabbit, [ { loopback_users, [ ] }, { vm_memory_high_watermark, { absolute, 429496729 } } ] } ].\n"},
                    "queue37", new String[] {"/etc/rabbitmq/rabbitmq.conf", "rabbitmq.conf", "log.console = true\nlog.file = false\nloopback_users.guest = false\nvm_memory_high_watermark.absolute = 429496729\n"},
                    "queue39", new String[] {"/etc/rabbitmq/rabbitmq.conf", "rabbitmq.conf", "log.console = true\nlog.file = false\nloopback_users.guest = false\nvm_memory_high_watermark.absolute = 429496729\n"});
            for (Map.Entry<String, String[]> f : files.entrySet()) {
                String[] file = f.getValue();
                assertEquals(Map.of(file[1], file[2]), get(Generation.named(docs, "ConfigMap", "o-" + f.getKey()), "data"), helm + ": " + f.getKey());
                Map<String, Object> c = server(docs, f.getKey());
                assertTrue(list(c.get("volumeMounts")).contains(Map.of("name", "engine-config", "mountPath", file[0], "subPath", file[1], "readOnly", true)),
                        helm + ": " + f.getKey() + "'s file where the image reads it");
                assertTrue(env(c).keySet().stream().noneMatch(n -> n.toString().startsWith("RABBITMQ_DEFAULT_")),
                        helm + ": " + f.getKey() + ": no RABBITMQ_DEFAULT_*, which the entrypoint would write into the read-only file");
            }
            assertEquals(List.of("rabbitmqctl", "-q", "status"), get(server(docs, "queue37"), "livenessProbe", "exec", "command"));
            assertEquals(List.of("rabbitmqctl", "-q", "status"), get(server(docs, "queue39"), "livenessProbe", "exec", "command"),
                    "rabbitmqctl status answers in every version before 3.10");
            assertEquals(Map.of("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "+K true"), env(server(docs, "queue37")), "the user's variable only");
            for (String name : List.of("queue36", "queue39")) {
                assertEquals("docker.io/kbudde/rabbitmq-exporter:1.0.0", get(exporter(docs, name), "image"), helm + ": " + name);
                assertEquals("9419", get(statefulSet(docs, name), "spec", "template", "metadata", "annotations", "prometheus.io/port"));
            }
        }
    }

    @Test
    void mysql56RunsWithCastlesVariablesAndItsExporter() {
        for (Path helm : List.of(Tools.helm3(), Tools.helm4())) {
            List<Map<String, Object>> docs = Generation.renderValid(out, helm, "o", chart, "--set-string");
            Map<String, Object> ledger = server(docs, "ledger");
            assertEquals("docker.io/library/mysql:5.6.51", ledger.get("image"));
            assertEquals(List.of("--datadir=/var/lib/mysql/data", "--character-set-server=utf8mb4"), ledger.get("args"), helm + ": castle's, then the user's");
            assertEquals(Map.of("MYSQL_DATABASE", "ledger", "MYSQL_PASSWORD", "<secret o-ledger/password>", "MYSQL_RANDOM_ROOT_PASSWORD", "yes",
                    "MYSQL_ROOT_HOST", "localhost", "MYSQL_USER", "app"), env(ledger), helm + ": the 5.6 entrypoint reads each of them");
            assertEquals("docker.io/prom/mysqld-exporter:v0.16.0", get(exporter(docs, "ledger"), "image"), "mysqld_exporter supports MySQL 5.6");
            assertEquals(Map.of("MYSQL_DATABASE", "voucherservice", "MYSQL_PASSWORD", "<secret vouchers/password>", "MYSQL_ROOT_PASSWORD",
                    "<secret vouchers/root-password>", "MYSQL_ROOT_HOST", "%", "MYSQL_USER", "app"), env(server(docs, "vouchers")), helm + ": root from any host");
        }
    }
}
