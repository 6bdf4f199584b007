package dev.castle.charts;

import static dev.castle.charts.PodChecks.get;
import static dev.castle.charts.PodChecks.list;
import static dev.castle.charts.PodChecks.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
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
 * Sidecars and init containers (descriptors/valid/companions.yaml) as Helm 3 and Helm 4 render
 * them: castle's dependency waits first, then the native sidecars (restartPolicy Always), then the
 * user's init containers in the order written; each hardened as the service's container (its
 * security context, resources with limits, a read-only root with /tmp mounted, the volumes it
 * names); a sidecar's ports on the Service and in the NetworkPolicy that admits its caller; every
 * object strictly valid; the values change what renders (an image, a sidecar switched off).
 */
@Tag("integration")
class CompanionsChartTest {
    private static final Path DESCRIPTOR = Tools.projectDir().resolve("src/test/resources/descriptors/valid/companions.yaml");
    private static final String RELEASE = "sides";

    @TempDir
    static Path out;
    static Path chart;

    @BeforeAll
    static void generate() {
        chart = Generation.generate(DESCRIPTOR, out);
    }

    private static List<Map<String, Object>> render(Path helm, String... args) {
        List<String> command = new ArrayList<>(List.of(helm.toString(), "template", RELEASE, chart.toString()));
        command.addAll(List.of(args));
        String rendered = Tools.run(out, command).assertOk().stdout();
        KubeSchemaValidator.shared().assertValid(rendered, Set.of());
        return KubeSchemaValidator.documents(rendered);
    }

    private static Map<String, Object> pod(List<Map<String, Object>> docs, String name) {
        return docs.stream().filter(d -> "Deployment".equals(d.get("kind")) && (RELEASE + "-" + name).equals(get(d, "metadata", "name")))
                .map(d -> map(get(d, "spec", "template", "spec"))).findFirst().orElseThrow(() -> new AssertionError("no Deployment " + name));
    }

    private static Map<String, Object> ofKind(List<Map<String, Object>> docs, String kind, String name) {
        return docs.stream().filter(d -> kind.equals(d.get("kind")) && (RELEASE + "-" + name).equals(get(d, "metadata", "name")))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    private static List<String> names(List<Object> containers) {
        return containers.stream().map(c -> (String) map(c).get("name")).toList();
    }

    @Test
    void waitsThenSidecarsThenInitContainersEachHardenedWithHelm3And4() {
        for (Path helm : List.of(Tools.helm3(), Tools.helm4())) {
            List<Map<String, Object>> docs = render(helm);
            Map<String, Object> web = pod(docs, "web");
            List<Object> init = list(web.get("initContainers"));
            assertEquals(List.of("wait-for-cache", "exporter", "clone"), names(init), helm + ": waits, sidecars, then init containers");
            assertEquals("Always", map(init.get(1)).get("restartPolicy"), "a native sidecar");
            assertEquals(null, map(init.get(2)).get("restartPolicy"), "an init container runs to completion");
            Map<String, Object> main = map(list(web.get("containers")).get(0));
            for (Object c : init.subList(1, 3)) {
                Map<String, Object> container = map(c);
                assertEquals(main.get("securityContext"), container.get("securityContext"), container.get("name") + ": the service's security context");
                assertEquals(Boolean.TRUE, get(container, "securityContext", "readOnlyRootFilesystem"));
                assertTrue(list(container.get("volumeMounts")).stream().anyMatch(m -> "/tmp".equals(map(m).get("mountPath"))), "/tmp is writable");
                assertEquals(Set.of("cpu", "memory"), map(get(container, "resources", "limits")).keySet(), "limited");
            }
            assertTrue(list(map(init.get(2)).get("volumeMounts")).stream().anyMatch(m -> "site".equals(map(m).get("name"))
                    && "/site".equals(map(m).get("mountPath"))), "the clone writes into the service's volume");
            assertEquals(List.of(Map.of("name", "metrics", "containerPort", 9113, "protocol", "TCP")), map(init.get(1)).get("ports"));
            assertEquals("/metrics", get(map(init.get(1)), "readinessProbe", "httpGet", "path"), "the sidecar's probe");
            assertEquals(List.of(Map.of("name", "http", "containerPort", 8080, "protocol", "TCP")), main.get("ports"), "the service's own ports only");

            // the proxy's sidecar port: on the Service, admitted from its caller
            Map<String, Object> service = ofKind(docs, "Service", "proxy");
            assertTrue(list(get(service, "spec", "ports")).stream().anyMatch(p -> "proxy".equals(map(p).get("name"))
                    && Integer.valueOf(9901).equals(map(p).get("port")) && "proxy".equals(map(p).get("targetPort"))), "the sidecar's port on the Service");
            Map<String, Object> policy = ofKind(docs, "NetworkPolicy", "proxy");
            assertTrue(list(get(policy, "spec", "ingress")).stream().anyMatch(rule -> list(map(rule).get("ports")).contains(Map.of("port", 15001, "protocol", "TCP"))
                    && list(map(rule).get("from")).stream().anyMatch(f -> "client".equals(get(f, "podSelector", "matchLabels", "app.kubernetes.io/name")))),
                    "the client reaches the sidecar's port");
        }
    }

    @Test
    void valuesChangeTheCompanions() {
        for (Path helm : List.of(Tools.helm3(), Tools.helm4())) {
            List<Map<String, Object>> docs = render(helm, "--set", "web.sidecars.exporter.image.tag=1.5.0", "--set", "web.initContainers.clone.args={clone,/site}",
                    "--set", "proxy.sidecars.envoy.resources.limits.cpu=1");
            List<Object> init = list(pod(docs, "web").get("initContainers"));
            assertTrue(((String) map(init.get(1)).get("image")).endsWith("nginx-prometheus-exporter:1.5.0"), helm + ": " + map(init.get(1)).get("image"));
            assertEquals(List.of("clone", "/site"), map(init.get(2)).get("args"));
            Map<String, Object> envoy = map(list(pod(docs, "proxy").get("initContainers")).get(0));
            assertEquals("1", String.valueOf(get(envoy, "resources", "limits", "cpu")));
        }
    }
}
