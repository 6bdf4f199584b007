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
                assertTrue(docs.stream().noneMatch(d -> "Secret".equals(d.get("kind"))), "no credentials Secret is rendered");
                Map<String, String> job = env(PodChecks.map(PodChecks.list(PodChecks.get(find(docs, "Job", c.fullname() + "-credentials"),
                        "spec", "template", "spec", "containers")).get(0)));
                assertEquals(c.fullname(), job.get("SECRET_NAME"), "the credentials Job makes the Secret the server reads");
                Map<String, Object> prefix = KubeSchemaValidator.documents(job.get("SECRET_PREFIX") + "}}").get(0);
                assertEquals(c.username(), decode(PodChecks.get(prefix, "data", "username")));
                assertEquals(c.type().equals("mongodb") ? "password root-password" : "password", job.get("PASSWORD_KEYS"));
                assertEquals("32", job.get("PASSWORD_LENGTH"));
            }
        }
    }

    @Test
    void theCredentialsAreMadeInTheClusterNotByTheTemplates() throws IOException {
        // CredentialsTest runs the Job; here: the library has no random value and no lookup left
        String templates = Files.readString(parent.resolve("charts/castle-common/templates/_credentials.tpl"))
                + Files.readString(parent.resolve("charts/castle-common/templates/_engines.tpl"));
        assertFalse(templates.contains("randAlphaNum 32"), "no password made at render time");
        assertFalse(templates.contains("(lookup \"v1\" \"Secret\""), "no lookup, which helm template (Argo CD) cannot do");
        for (Path helm : List.of(Tools.helm3(), Tools.helm4())) {
            String externalSecrets = template(helm, parent.resolve("charts/catalog-db"), "credentials.generator=externalSecrets");
            KubeSchemaValidator.shared().assertValid(externalSecrets);
            List<Map<String, Object>> docs = KubeSchemaValidator.documents(externalSecrets);
            assertEquals("CreatedOnce", PodChecks.get(find(docs, "ExternalSecret", "infra-catalog-db"), "spec", "refreshPolicy"));
            assertEquals(List.of("password", "root-password"), PodChecks.get(find(docs, "Password", "infra-catalog-db-password"), "spec", "secretKeys"));
            assertTrue(docs.stream().noneMatch(d -> "Job".equals(d.get("kind"))), "no Job with the Password generator");
        }
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
                        // the Secret is made in the cluster by the component's credentials Job, with these keys
                        String component = String.valueOf(r.get("name")).substring(RELEASE.length() + 1);
                        Map<String, String> job = env(PodChecks.map(PodChecks.list(PodChecks.get(find(docs, "Job", r.get("name") + "-credentials"),
                                "spec", "template", "spec", "containers")).get(0)));
                        assertEquals(r.get("name"), job.get("SECRET_NAME"), component);
                        List<String> keys = new ArrayList<>(List.of(job.get("PASSWORD_KEYS").split(" ")));
                        keys.add("username");
                        assertTrue(keys.contains(String.valueOf(r.get("key"))), "the Secret of " + component + " has key " + r.get("key"));
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

    private static Map<String, Object> find(List<Map<String, Object>> docs, String kind, String name) {
        return docs.stream().filter(d -> kind.equals(d.get("kind")) && name.equals(PodChecks.get(d, "metadata", "name")))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name + " rendered"));
    }
}
