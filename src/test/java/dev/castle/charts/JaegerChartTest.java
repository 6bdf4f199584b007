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
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.castle.testing.Tools;

/**
 * A tracing backend as a component (descriptors/valid/tracing-backend.yaml) as Helm 3 and Helm 4
 * render it, every object strictly valid: Jaeger all-in-one as its user 10001 on a read-only root
 * filesystem, probed on its admin port, its traces in memory (MEMORY_MAX_TRACES from the memory
 * limit, and from a value) or in Badger on a volume claim; OTLP, query and, in 1.57, the agent's UDP
 * ports on its Service; every traced service's OTLP endpoint at it with no dependsOn edge, and the
 * NetworkPolicy admitting exactly the traced services on 4317 and the legacy client on 6831/UDP.
 */
@Tag("integration")
class JaegerChartTest {
    private static final Path DESCRIPTOR = Tools.projectDir().resolve("src/test/resources/descriptors/valid/tracing-backend.yaml");

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

    private static Map<String, Object> server(List<Map<String, Object>> docs, String name) {
        return map(list(get(Generation.named(docs, "StatefulSet", "c-" + name), "spec", "template", "spec", "containers")).get(0));
    }

    private static Map<String, Object> env(Map<String, Object> container) {
        Map<String, Object> env = new TreeMap<>();
        list(container.get("env")).forEach(e -> env.put(String.valueOf(map(e).get("name")), map(e).get("value")));
        return env;
    }

    private static TreeSet<String> servicePorts(List<Map<String, Object>> docs, String name) {
        TreeSet<String> ports = new TreeSet<>();
        list(get(Generation.named(docs, "Service", name), "spec", "ports")).forEach(p -> ports.add(map(p).get("name") + " "
                + map(p).get("port") + "/" + map(p).get("protocol")));
        return ports;
    }

    /** The ports and the peers of each ingress rule of a NetworkPolicy, as "peer ports". */
    private static TreeSet<String> admitted(List<Map<String, Object>> docs, String name) {
        TreeSet<String> rules = new TreeSet<>();
        for (Object rule : list(get(Generation.named(docs, "NetworkPolicy", name), "spec", "ingress"))) {
            for (Object from : list(map(rule).get("from"))) {
                Object labels = get(from, "podSelector", "matchLabels");
                String peer = labels == null ? String.valueOf(map(from).keySet())
                        : map(labels).containsKey("castle.dev/role") ? "test" : String.valueOf(map(labels).get("app.kubernetes.io/name"));
                rules.add(peer + " " + list(map(rule).get("ports")).stream().map(p -> map(p).get("port") + "/" + map(p).get("protocol")).toList());
            }
        }
        return rules;
    }

    @Test
    void jaegerRunsHardenedAndEveryTracedServiceReachesItWithHelm3And4() {
        for (Path helm : List.of(Tools.helm3(), Tools.helm4())) {
            List<Map<String, Object>> docs = render(helm, "archive.metrics.force=true");
            Map<String, Object> traces = server(docs, "traces");
            assertEquals("docker.io/jaegertracing/all-in-one:1.57.0", traces.get("image"));
            assertEquals(Map.of("COLLECTOR_OTLP_ENABLED", "true", "SPAN_STORAGE_TYPE", "memory", "MEMORY_MAX_TRACES", "12800"), env(traces),
                    helm + ": in memory, 50 traces per MiB of the 256Mi limit");
            Map<String, Object> health = Map.of("path", "/", "port", 14269);
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                assertEquals(health, get(traces, probe, "httpGet"), helm + ": " + probe + " on the admin port");
            }
            assertEquals(10001, get(traces, "securityContext", "runAsUser"));
            assertEquals(true, get(traces, "securityContext", "readOnlyRootFilesystem"));
            assertEquals(null, get(Generation.named(docs, "StatefulSet", "c-traces"), "spec", "volumeClaimTemplates"), helm + ": no volume claim");
            assertEquals(new TreeSet<>(List.of("agent-binary 6832/UDP", "agent-compact 6831/UDP", "otlp-grpc 4317/TCP", "otlp-http 4318/TCP",
                    "query 16686/TCP")), servicePorts(docs, "c-traces"), helm + ": 1.57 still has the agent; the admin port is not on the Service");
            assertTrue(docs.stream().noneMatch(d -> "Secret".equals(d.get("kind"))), helm + ": no Secret");

            // the second one keeps its traces in Badger on its volume claim, has no agent (1.76), and serves metrics on the admin port
            Map<String, Object> archive = server(docs, "archive");
            assertEquals("docker.io/jaegertracing/all-in-one:1.76.0", archive.get("image"));
            assertEquals(Map.of("COLLECTOR_OTLP_ENABLED", "true", "SPAN_STORAGE_TYPE", "badger", "BADGER_EPHEMERAL", "false",
                    "BADGER_DIRECTORY_KEY", "/badger/key", "BADGER_DIRECTORY_VALUE", "/badger/data"), env(archive));
            assertEquals("1Gi", get(list(get(Generation.named(docs, "StatefulSet", "c-archive"), "spec", "volumeClaimTemplates")).get(0),
                    "spec", "resources", "requests", "storage"));
            assertEquals(new TreeSet<>(List.of("metrics 14269/TCP", "otlp-grpc 4317/TCP", "otlp-http 4318/TCP", "query 16686/TCP")),
                    servicePorts(docs, "c-archive"));
            Generation.named(docs, "ServiceMonitor", "c-archive");

            // the traced services send OTLP to the backend's Service; the legacy one reports to the agent
            assertEquals("http://c-traces:4317", RenderedEnv.of(docs, "web").get("OTEL_EXPORTER_OTLP_ENDPOINT"));
            assertEquals("http://c-traces:4317", RenderedEnv.of(docs, "api").get("OTEL_EXPORTER_OTLP_ENDPOINT"));
            Map<String, String> legacy = RenderedEnv.of(docs, "legacy");
            assertFalse(legacy.containsKey("OTEL_EXPORTER_OTLP_ENDPOINT"), helm + ": tracing off");
            assertEquals("c-traces:6831", legacy.get("TRACES_URL"));
            assertEquals(new TreeSet<>(List.of("api [4317/TCP]", "web [4317/TCP]", "legacy [6831/UDP]", "test [4317/TCP, 4318/TCP, 16686/TCP]")),
                    admitted(docs, "c-traces"), helm + ": the traced services on OTLP, the legacy client on the agent's port");
            assertTrue(admitted(docs, "c-archive").contains("api [16686/TCP]"));

            // the legacy client does not wait for a UDP port; the caller of the query API waits for it
            Map<String, Object> legacyPod = map(get(Generation.named(docs, "Deployment", "c-legacy"), "spec", "template", "spec"));
            assertEquals(null, legacyPod.get("initContainers"), helm + ": no start-up wait on UDP");

            // the traces kept in memory are a value of their own
            assertEquals("500", env(server(render(helm, "traces.jaeger.maxTraces=500"), "traces")).get("MEMORY_MAX_TRACES"));
        }
    }
}
