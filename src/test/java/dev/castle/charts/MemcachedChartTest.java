package dev.castle.charts;

import static dev.castle.charts.PodChecks.get;
import static dev.castle.charts.PodChecks.list;
import static dev.castle.charts.PodChecks.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.castle.testing.Tools;

/**
 * Embedded memcached (descriptors/valid/memcached.yaml) as Helm 3 and Helm 4 render it, every
 * object strictly valid: the official image as its user 11211 on a read-only root filesystem, its
 * item memory -m from the memory limit (and from a value), the user's arguments after it, TCP
 * probes, no Secret and no credentials for the caller, a scratch emptyDir instead of a volume claim,
 * the memcached_exporter beside it with metrics, and the NetworkPolicy admitting the caller on 11211.
 */
@Tag("integration")
class MemcachedChartTest {
    private static final Path DESCRIPTOR = Tools.projectDir().resolve("src/test/resources/descriptors/valid/memcached.yaml");

    @TempDir
    static Path out;
    static Path chart;

    @BeforeAll
    static void generate() {
        chart = Generation.generate(DESCRIPTOR, out);
    }

    private static List<Map<String, Object>> render(Path helm, String... set) {
        return Generation.renderValid(out, helm, "c", chart, "--set", set);
    }

    private static Map<String, Object> named(List<Map<String, Object>> docs, String kind, String name) {
        return Generation.named(docs, kind, name);
    }

    private static Map<String, Object> pod(List<Map<String, Object>> docs, String name) {
        return map(get(named(docs, "StatefulSet", "c-" + name), "spec", "template", "spec"));
    }

    @Test
    void theServerRunsHardenedWithItsMemoryFromTheLimitWithHelm3And4() {
        for (Path helm : List.of(Tools.helm3(), Tools.helm4())) {
            List<Map<String, Object>> docs = render(helm, "pages.metrics.force=true");
            Map<String, Object> sessions = pod(docs, "sessions");
            Map<String, Object> server = map(list(sessions.get("containers")).get(0));
            assertEquals("docker.io/library/memcached:1.6.40", server.get("image"));
            assertEquals(List.of("-m", "409"), server.get("args"), helm + ": 80% of the default 512Mi limit");
            assertEquals(Map.of("tcpSocket", Map.of("port", "memcached"), "periodSeconds", 10, "timeoutSeconds", 5, "failureThreshold", 3),
                    server.get("readinessProbe"));
            assertEquals(11211, get(server, "securityContext", "runAsUser"));
            assertEquals(true, get(server, "securityContext", "readOnlyRootFilesystem"));
            assertFalse(server.containsKey("env"), helm + ": no credentials");
            assertTrue(list(sessions.get("volumes")).contains(Map.of("name", "data", "emptyDir", Map.of("sizeLimit", "16Mi"))), helm + ": a scratch emptyDir");
            assertEquals(null, get(named(docs, "StatefulSet", "c-sessions"), "spec", "volumeClaimTemplates"), helm + ": no volume claim");
            assertTrue(docs.stream().noneMatch(d -> "Secret".equals(d.get("kind"))), helm + ": no Secret");
            assertTrue(docs.stream().noneMatch(d -> "Job".equals(d.get("kind")) && String.valueOf(get(d, "metadata", "name")).contains("sessions")));

            Map<String, Object> pages = pod(docs, "pages");
            assertEquals(List.of("-m", "409", "--max-item-size=2m", "--threads=2"), map(list(pages.get("containers")).get(0)).get("args"),
                    helm + ": castle's -m first, the user's arguments after");
            Map<String, Object> exporter = map(list(pages.get("initContainers")).stream().filter(c -> "exporter".equals(map(c).get("name")))
                    .findFirst().orElseThrow());
            assertEquals("docker.io/prom/memcached-exporter:v0.16.0", exporter.get("image"));
            assertEquals(List.of("--memcached.address=127.0.0.1:11211", "--web.listen-address=:9150"), exporter.get("args"));
            assertEquals(List.of(Map.of("name", "metrics", "containerPort", 9150, "protocol", "TCP")), exporter.get("ports"));
            named(docs, "ServiceMonitor", "c-pages");

            // the caller: host, port and host:port, nothing else, and it waits for the cache
            Map<String, String> env = RenderedEnv.of(docs, "web");
            assertEquals("c-sessions:11211", env.get("SESSIONS_URL"));
            assertEquals("memcached.example.internal:11211", env.get("SHARED_URL"));
            assertFalse(env.containsKey("SESSIONS_PASSWORD"));
            Map<String, Object> policy = named(docs, "NetworkPolicy", "c-sessions");
            assertTrue(list(get(policy, "spec", "ingress")).stream().anyMatch(r -> list(map(r).get("ports")).contains(Map.of("port", 11211, "protocol", "TCP"))),
                    helm + ": the caller is admitted on 11211");

            // the item memory is a value of its own
            assertEquals(List.of("-m", "100"), map(list(pod(render(helm, "sessions.memcached.memoryMiB=100"), "sessions").get("containers")).get(0)).get("args"));
        }
    }
}
