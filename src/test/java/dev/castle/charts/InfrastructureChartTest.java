package dev.castle.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.castle.testing.KubeSchemaValidator;
import dev.castle.testing.Tools;

/**
 * Given a descriptor with one embedded component of each type (descriptors/valid/infrastructure.yaml),
 * when castle generates it, then each component's subchart lints strictly and renders with real
 * Helm 3 and Helm 4; every rendered document validates strictly against the Kubernetes schemas;
 * the pod passes the restricted-profile checks with no exception; the client Service selects the
 * StatefulSet's pod on a port named after the type; the credentials Secret holds a 32-character
 * password that no generated file contains; and the services that depend on the components find
 * the Secrets and Services they were wired to.
 */
@Tag("integration")
class InfrastructureChartTest {
    private static final Path DESCRIPTOR = Tools.projectDir().resolve("src/test/resources/descriptors/valid/infrastructure.yaml");
    private static final String RELEASE = "infra";

    @TempDir
    static Path out;
    static Path parent;

    @BeforeAll
    static void generate() {
        parent = Generation.generate(DESCRIPTOR, out);
    }

    /** name, type, standard port, component label, uid, user name, data volume (a claim size, or emptyDir). */
    record Component(String name, String type, int port, String component, long uid, String username, String data) {
        String fullname() {
            return RELEASE + "-" + name;
        }

        @Override
        public String toString() {
            return name + " (" + type + ")";
        }
    }

    static Stream<Arguments> components() {
        return Stream.of(
                new Component("orders-db", "postgresql", 5432, "database", 999, "orders", "2Gi"),
                new Component("accounts-db", "mysql", 3306, "database", 999, "app", "2Gi"),
                new Component("catalog-db", "mongodb", 27017, "database", 999, "app", "8Gi"),
                new Component("cache", "redis", 6379, "cache", 999, "shop", "emptyDir"),
                new Component("jobs", "rabbitmq", 5672, "broker", 999, "app", "8Gi"),
                new Component("events", "kafka", 9092, "broker", 1000, "", "8Gi")).map(Arguments::of);
    }

    private static Path chart(Component c) {
        return parent.resolve("charts").resolve(c.name());
    }

    /**
     * The objects of one component's chart: the parent chart rendered, keeping the documents whose
     * source is in that chart (a subchart renders as part of the parent, which carries the library);
     * sets are values of that chart.
     */
    private static String template(Path helm, Path chart, String... sets) {
        String name = chart.getFileName().toString();
        List<String> command = new ArrayList<>(List.of(helm.toString(), "template", RELEASE, parent.toString(), "--namespace", RELEASE));
        for (String set : sets) {
            command.add("--set");
            command.add(name + "." + set);
        }
        String source = "# Source: " + parent.getFileName() + "/charts/" + name + "/";
        StringBuilder kept = new StringBuilder();
        for (String document : Tools.run(out, command).assertOk().stdout().split("(?m)^---$")) {
            if (document.strip().startsWith(source)) {
                kept.append("---").append(document);
            }
        }
        return kept.toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("components")
    void subchartLintsRendersValidatesAndKeepsItsContract(Component c) throws IOException {
        for (Path helm : List.of(Tools.helm3(), Tools.helm4())) {
            Tools.Result lint = Tools.run(out, helm.toString(), "lint", "--strict", parent.toString()).assertOk();
            assertFalse(lint.stdout().contains("[WARNING]"), helm + " lint --strict warned:\n" + lint.stdout());

            String rendered = template(helm, chart(c));
            List<Map<String, Object>> docs = KubeSchemaValidator.documents(rendered);
            KubeSchemaValidator.shared().assertValid(rendered);
            assertEquals(List.of(), new PodChecks(docs).check(), helm + ": " + c + " breaks the restricted profile or the lint rules");

            Map<String, Object> sts = find(docs, "StatefulSet", c.fullname());
            assertEquals(1, PodChecks.get(sts, "spec", "replicas"));
            assertEquals(c.fullname() + "-headless", PodChecks.get(sts, "spec", "serviceName"));
            Map<String, Object> selector = PodChecks.map(PodChecks.get(sts, "spec", "selector", "matchLabels"));
            assertEquals(Map.of("app.kubernetes.io/name", c.name(), "app.kubernetes.io/instance", RELEASE,
                    "castle.dev/track", "stable"), selector, "StatefulSet selector");
            Map<String, Object> podLabels = PodChecks.map(PodChecks.get(sts, "spec", "template", "metadata", "labels"));
            assertTrue(podLabels.entrySet().containsAll(selector.entrySet()), "pod labels " + podLabels);
            for (String label : List.of("helm.sh/chart", "app.kubernetes.io/version", "app.kubernetes.io/part-of", "app.kubernetes.io/managed-by")) {
                assertTrue(podLabels.containsKey(label), "pod label " + label);
            }
            assertEquals(c.component(), podLabels.get("app.kubernetes.io/component"));

            Map<String, Object> pod = PodChecks.map(PodChecks.get(sts, "spec", "template", "spec"));
            assertEquals(c.uid(), ((Number) PodChecks.get(pod, "securityContext", "runAsUser")).longValue(), "the image's own uid");
            assertEquals(c.uid(), ((Number) PodChecks.get(pod, "securityContext", "fsGroup")).longValue(), "fsGroup");
            assertEquals(false, pod.get("automountServiceAccountToken"));
            Map<String, Object> container = PodChecks.map(PodChecks.list(pod.get("containers")).get(0));
            assertEquals(List.of(Map.of("name", c.type(), "containerPort", c.port(), "protocol", "TCP")), container.get("ports"));
            assertNotNull(container.get("startupProbe"), "a startup probe: first initializations are slow");

            Map<String, Object> service = find(docs, "Service", c.fullname());
            List<Object> ports = PodChecks.list(PodChecks.get(service, "spec", "ports"));
            assertEquals(1, ports.size(), "the client Service has one port");
            Map<String, Object> port = PodChecks.map(ports.get(0));
            assertEquals(c.type(), port.get("name"));
            assertEquals(c.port(), port.get("port"));
            assertEquals(c.type(), port.get("targetPort"), "the Service targets the container port by name");
            Map<String, Object> serviceSelector = PodChecks.map(PodChecks.get(service, "spec", "selector"));
            assertEquals(selector, serviceSelector, "the client Service selects the StatefulSet's pod");
            Map<String, Object> headless = find(docs, "Service", c.fullname() + "-headless");
            assertEquals("None", PodChecks.get(headless, "spec", "clusterIP"));
            assertEquals(selector, PodChecks.map(PodChecks.get(headless, "spec", "selector")));

            if (c.data().equals("emptyDir")) {
                assertTrue(PodChecks.list(pod.get("volumes")).stream().map(PodChecks::map)
                        .anyMatch(v -> "data".equals(v.get("name")) && v.containsKey("emptyDir")), "ephemeral data on an emptyDir");
                assertEquals(null, PodChecks.get(sts, "spec", "volumeClaimTemplates"));
            } else {
                Map<String, Object> claim = PodChecks.map(PodChecks.list(PodChecks.get(sts, "spec", "volumeClaimTemplates")).get(0));
                assertEquals("data", PodChecks.get(claim, "metadata", "name"));
                assertEquals(c.data(), PodChecks.get(claim, "spec", "resources", "requests", "storage"));
            }

            Map<String, Object> test = find(docs, "Pod", c.fullname() + "-test");
            assertEquals("test", PodChecks.get(test, "metadata", "annotations", "helm.sh/hook"));
            Map<String, Object> check = PodChecks.map(PodChecks.list(PodChecks.get(test, "spec", "containers")).get(0));
            assertEquals(List.of("nc", "-z", "-w", "10", c.fullname(), String.valueOf(c.port())), check.get("command"));

            if (c.type().equals("kafka")) {
                assertTrue(docs.stream().noneMatch(d -> "Secret".equals(d.get("kind"))), "Kafka has no credentials (documented exception)");
                assertTrue(env(container).get("KAFKA_ADVERTISED_LISTENERS").startsWith("PLAINTEXT://" + c.fullname() + ":9092,"),
                        "advertised listener " + env(container));
                assertTrue(Files.readString(chart(c).resolve("README.md")).contains("No authentication (documented exception)"));
            } else {
                Map<String, Object> secret = find(docs, "Secret", c.fullname());
                assertEquals("keep", PodChecks.get(secret, "metadata", "annotations", "helm.sh/resource-policy"));
                Map<String, Object> data = PodChecks.map(secret.get("data"));
                assertEquals(c.username(), decode(data.get("username")));
                String password = decode(data.get("password"));
                assertTrue(password.matches("[A-Za-z0-9]{32}"), "a 32-character random password, got " + password);
                assertNoGeneratedFileContains(password);
                assertNoGeneratedFileContains((String) data.get("password"));
            }
        }
    }

    @Test
    void thePasswordIsGeneratedByHelmNotWritten() {
        // helm template talks to no cluster: lookup finds no Secret, so randAlphaNum runs at each render
        // and two renders differ, which proves that no password is written in the chart. On a cluster,
        // helm upgrade finds the Secret with lookup and keeps its password, which the server was
        // initialized with (and helm.sh/resource-policy: keep keeps the Secret with the data on uninstall).
        Path chart = parent.resolve("charts/catalog-db");
        for (Path helm : List.of(Tools.helm3(), Tools.helm4())) {
            Map<String, Object> first = PodChecks.map(find(KubeSchemaValidator.documents(template(helm, chart)), "Secret", "infra-catalog-db").get("data"));
            Map<String, Object> second = PodChecks.map(find(KubeSchemaValidator.documents(template(helm, chart)), "Secret", "infra-catalog-db").get("data"));
            assertNotEquals(decode(first.get("password")), decode(second.get("password")), helm + ": the password is random at each render");
            assertNotEquals(decode(first.get("root-password")), decode(second.get("root-password")), helm + ": so is MongoDB's administrator password");
            assertNotEquals(decode(first.get("password")), decode(first.get("root-password")));
            assertEquals(decode(first.get("username")), decode(second.get("username")));
        }
    }

    @Test
    void theSecretTemplateKeepsAnExistingPasswordWithLookup() throws IOException {
        String secret = Files.readString(parent.resolve("charts/castle-common/templates/_engines.tpl"));
        assertTrue(secret.contains("(lookup \"v1\" \"Secret\" .Release.Namespace $name).data"), secret);
        assertTrue(secret.contains("get $existing \"password\" | default (randAlphaNum 32 | b64enc)"), secret);
    }

    @Test
    void valuesOutsideTheSchemaFailEarly() {
        for (Path helm : List.of(Tools.helm3(), Tools.helm4())) {
            for (String[] bad : List.of(
                    new String[] {"accounts-db", "auth.username=root", "username"},
                    new String[] {"orders-db", "persistence.size=lots", "size"},
                    new String[] {"events", "kafka.clusterId=short", "clusterId"},
                    new String[] {"cache", "replicaCount=3", "replicaCount"})) {
                Tools.Result result = Tools.run(out, helm.toString(), "template", RELEASE, parent.toString(),
                        "--set", bad[0] + "." + bad[1]);
                assertNotEquals(0, result.exitCode(), helm + " accepted --set " + bad[1] + " for " + bad[0]);
                assertTrue(result.stderr().contains(bad[2]), helm + " names " + bad[2] + ":\n" + result.stderr());
            }
            String ephemeral = template(helm, parent.resolve("charts/orders-db"), "persistence.enabled=false");
            Map<String, Object> sts = find(KubeSchemaValidator.documents(ephemeral), "StatefulSet", "infra-orders-db");
            assertEquals(null, PodChecks.get(sts, "spec", "volumeClaimTemplates"), "persistence.enabled=false: no claim");
        }
    }

    @Test
    void servicesFindTheSecretsAndServicesTheyAreWiredTo() {
        for (Path helm : List.of(Tools.helm3(), Tools.helm4())) {
            String rendered = Tools.run(out, helm.toString(), "template", RELEASE, parent.toString(), "--namespace", RELEASE).assertOk().stdout();
            List<Map<String, Object>> docs = KubeSchemaValidator.documents(rendered);
            for (Object c : components().map(a -> a.get()[0]).toList()) {
                Component component = (Component) c;
                find(docs, "StatefulSet", component.fullname());
                find(docs, "Service", component.fullname());
            }
            Map<String, Object> api = find(docs, "Deployment", "infra-api");
            List<Object> containers = new ArrayList<>(PodChecks.list(PodChecks.get(api, "spec", "template", "spec", "containers")));
            containers.addAll(PodChecks.list(PodChecks.get(api, "spec", "template", "spec", "initContainers")));
            for (Object container : containers) {
                for (Object e : PodChecks.list(PodChecks.map(container).get("env"))) {
                    Object ref = PodChecks.get(e, "valueFrom", "secretKeyRef");
                    if (ref instanceof Map<?, ?> r && String.valueOf(r.get("name")).startsWith(RELEASE + "-")) {
                        Map<String, Object> secret = find(docs, "Secret", (String) r.get("name"));
                        assertTrue(PodChecks.map(secret.get("data")).containsKey(r.get("key")), "Secret " + r.get("name") + " has key " + r.get("key"));
                    }
                }
            }
        }
    }

    private static Map<String, String> env(Map<String, Object> container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Object e : PodChecks.list(container.get("env"))) {
            env.put((String) PodChecks.map(e).get("name"), String.valueOf(PodChecks.map(e).get("value")));
        }
        return env;
    }

    private static String decode(Object base64) {
        return new String(Base64.getDecoder().decode((String) base64), StandardCharsets.UTF_8);
    }

    private static void assertNoGeneratedFileContains(String text) throws IOException {
        try (Stream<Path> files = Files.walk(out)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertFalse(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).contains(text),
                        file + " contains the rendered password");
            }
        }
    }

    private static Map<String, Object> find(List<Map<String, Object>> docs, String kind, String name) {
        return docs.stream().filter(d -> kind.equals(d.get("kind")) && name.equals(PodChecks.get(d, "metadata", "name")))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name + " rendered"));
    }
}
