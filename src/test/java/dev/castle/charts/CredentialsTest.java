package dev.castle.charts;

import static dev.castle.charts.PodChecks.get;
import static dev.castle.charts.PodChecks.list;
import static dev.castle.charts.PodChecks.map;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.castle.testing.FakeKubernetesApi;
import dev.castle.testing.KubeSchemaValidator;
import dev.castle.testing.Tools;

/**
 * Credentials that never rotate by accident. Given the embedded components of
 * descriptors/valid/infrastructure.yaml, their credentials Secrets are rendered nowhere: each is
 * made in the cluster by a Job. The Job, as {@code helm template} renders it (Argo CD's way, with
 * Helm 3 and Helm 4) and as the Kustomize output has it ({@code kubectl kustomize}, for
 * {@code kubectl apply -k} and Flux), is run for real (its own script, with sh and curl) against a
 * Kubernetes API over TLS that allows only what its rendered Role allows: the first run creates the
 * Secret, every later run, from any render and in any order, keeps it. So the credentials a client
 * reads (through the secretKeyRefs of the rendered client) are the same every time. With the
 * External Secrets Operator's Password generator instead (descriptors/valid/secrets.yaml, prod),
 * the objects are the same at every render and through the Kustomize output, and ask for the
 * Secret to be created once.
 */
@Tag("integration")
class CredentialsTest {
    private static final Path DESCRIPTOR = Tools.projectDir().resolve("src/test/resources/descriptors/valid/infrastructure.yaml");
    private static final String RELEASE = "infra";
    /** Components with credentials, the variable the client reads the password from, and the keys generated. */
    private static final Map<String, List<String>> COMPONENTS = new TreeMap<>(Map.of(
            "orders-db", List.of("ORDERS_DB_PASSWORD", "password"),
            "accounts-db", List.of("ACCOUNTS_DB_PASSWORD", "password"),
            "catalog-db", List.of("CATALOG_DB_PASSWORD", "password", "root-password"),
            "cache", List.of("CACHE_PASSWORD", "password"),
            "jobs", List.of("JOBS_PASSWORD", "password")));

    /** A template action that makes a random value or reads the cluster: both differ between helm template and a cluster. */
    private static final java.util.regex.Pattern RANDOM_OR_LOOKUP = java.util.regex.Pattern.compile(
            "\\{\\{-?\\s*(?!/\\*)[^}]*\\b(randAlphaNum|randAlpha|randNumeric|randAscii|randBytes|lookup|uuidv4)\\b");

    @TempDir
    static Path out;
    static Path chart;

    @BeforeAll
    static void generate() {
        chart = Generation.generate(DESCRIPTOR, out);
    }

    private static String helmTemplate(Path helm, String namespace, String... args) {
        List<String> command = new ArrayList<>(List.of(helm.toString(), "template", RELEASE, chart.toString(), "--namespace", namespace));
        command.addAll(List.of(args));
        return Tools.run(out, command).assertOk().stdout();
    }

    private static String kustomizeBase() {
        return Tools.run(out, Tools.kubectl35().toString(), "kustomize", out.resolve("kustomize/" + RELEASE + "/base").toString())
                .assertOk().stdout();
    }

    @Test
    void noGeneratedFileHoldsACredentialAndEveryRenderIsTheSame() throws IOException {
        String first = helmTemplate(Tools.helm3(), RELEASE);
        String second = helmTemplate(Tools.helm4(), RELEASE);
        assertEquals(first.replace("\r", ""), second.replace("\r", ""), "Helm 3 and Helm 4 render the same, every time");
        assertEquals(first, helmTemplate(Tools.helm3(), RELEASE), "a second helm template renders the same bytes (nothing random)");
        for (String rendered : List.of(first, kustomizeBase())) {
            List<Map<String, Object>> docs = KubeSchemaValidator.documents(rendered);
            KubeSchemaValidator.shared().assertValid(rendered);
            assertTrue(docs.stream().noneMatch(d -> "Secret".equals(d.get("kind"))), "no Secret is rendered");
            assertEquals(List.of(), new PodChecks(docs).check(), "the credentials Jobs keep the restricted profile");
            for (String component : COMPONENTS.keySet()) {
                Map<String, Object> job = find(docs, "Job", RELEASE + "-" + component + "-credentials");
                Map<String, Object> pod = map(get(job, "spec", "template", "spec"));
                assertEquals(false, pod.get("automountServiceAccountToken"), "the token is mounted only where it is read");
                assertEquals("credentials", get(job, "spec", "template", "metadata", "labels", "castle.dev/track"),
                        "outside the workloads' selectors, inside the network policies");
                Map<String, Object> policy = find(docs, "NetworkPolicy", RELEASE + "-" + component + "-credentials");
                assertEquals(List.of("Egress"), get(policy, "spec", "policyTypes"), "the Job reaches DNS and the API server only");
            }
        }
        try (Stream<Path> files = Files.walk(out)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(file, StandardCharsets.ISO_8859_1);
                assertFalse(RANDOM_OR_LOOKUP.matcher(text).find(), file + " makes passwords at render time");
            }
        }
    }

    @Test
    void theCredentialsAClientReadsAreTheSameAfterEverySyncAndEveryDeliveryPath(@TempDir Path tmp) throws Exception {
        List<Map<String, Object>> helm3 = KubeSchemaValidator.documents(helmTemplate(Tools.helm3(), RELEASE));
        List<Map<String, Object>> helm4 = KubeSchemaValidator.documents(helmTemplate(Tools.helm4(), RELEASE));
        List<Map<String, Object>> kustomize = KubeSchemaValidator.documents(kustomizeBase());
        Map<String, Map<String, String>> created = new TreeMap<>();
        try (FakeKubernetesApi api = FakeKubernetesApi.start(Files.createDirectories(tmp.resolve("a")), RELEASE)) {
            // helm install (or Argo CD's first sync), then two more syncs, then kubectl apply -k of the same system
            for (List<Map<String, Object>> docs : List.of(helm3, helm4, helm3, kustomize)) {
                for (String component : COMPONENTS.keySet()) {
                    runJob(api, docs, component, tmp);
                    Map<String, String> secret = api.secret(RELEASE + "-" + component);
                    assertNotNull(secret, component + ": the Job created the Secret");
                    Map<String, String> before = created.putIfAbsent(component, secret);
                    if (before != null) {
                        assertEquals(before, secret, component + ": a later run keeps the credentials");
                    }
                }
            }
            for (String component : COMPONENTS.keySet()) {
                Map<String, String> secret = created.get(component);
                List<String> keys = COMPONENTS.get(component).subList(1, COMPONENTS.get(component).size());
                for (String key : keys) {
                    assertTrue(secret.get(key).matches("[A-Za-z0-9]{32}"), component + " " + key + ": 32 letters and digits, got " + secret.get(key));
                }
                assertEquals(keys.size() + 1, secret.size(), component + ": username and the passwords " + secret.keySet());
                Map<String, Object> object = api.secretObject(RELEASE + "-" + component);
                assertEquals("IgnoreExtraneous", get(object, "metadata", "annotations", "argocd.argoproj.io/compare-options"));
                assertEquals("Prune=false", get(object, "metadata", "annotations", "argocd.argoproj.io/sync-options"));
                assertEquals("keep", get(object, "metadata", "annotations", "helm.sh/resource-policy"));
                assertEquals(component, get(object, "metadata", "labels", "app.kubernetes.io/name"));
                // what the client reads, through its secretKeyRefs as each delivery path renders them
                for (List<Map<String, Object>> docs : List.of(helm3, kustomize)) {
                    Map<String, Object> ref = secretKeyRef(find(docs, "Deployment", RELEASE + "-api"), COMPONENTS.get(component).get(0));
                    Map<String, String> read = api.secret((String) ref.get("name"));
                    assertEquals(secret.get("password"), read.get((String) ref.get("key")), component + ": the client reads the password");
                }
            }
            assertEquals("app", created.get("catalog-db").get("username"));
            assertEquals("orders", created.get("orders-db").get("username"));
            assertNotEquals(created.get("catalog-db").get("password"), created.get("catalog-db").get("root-password"));
            assertNotEquals(created.get("orders-db").get("password"), created.get("accounts-db").get("password"));
            long creates = api.requests().stream().filter(r -> r.verb().equals("create")).count();
            assertEquals(COMPONENTS.size(), creates, "each Secret is created once: " + api.requests());
            assertTrue(api.requests().stream().allMatch(r -> r.status() == 200 || r.status() == 201 || r.status() == 404),
                    "every request was allowed by the rendered Role: " + api.requests());
        }
        for (String component : COMPONENTS.keySet()) {
            assertNoFileContains(created.get(component).get("password"));
        }
        // the other way round: kubectl apply -k first, then Helm (or Argo CD) in a new namespace
        try (FakeKubernetesApi api = FakeKubernetesApi.start(Files.createDirectories(tmp.resolve("b")), RELEASE)) {
            runJob(api, kustomize, "orders-db", tmp);
            Map<String, String> first = api.secret(RELEASE + "-orders-db");
            runJob(api, helm4, "orders-db", tmp);
            assertEquals(first, api.secret(RELEASE + "-orders-db"));
            assertNotEquals(created.get("orders-db").get("password"), first.get("password"), "another cluster, other credentials");
        }
    }

    @Test
    void theJobNeverReplacesASecretItCannotRead(@TempDir Path tmp) throws Exception {
        List<Map<String, Object>> docs = KubeSchemaValidator.documents(helmTemplate(Tools.helm4(), RELEASE));
        try (FakeKubernetesApi api = FakeKubernetesApi.start(tmp, RELEASE)) {
            api.authorize(List.of(Map.of("apiGroups", List.of(""), "resources", List.of("secrets"), "verbs", List.of("create"))));
            Job job = job(docs, "orders-db");
            Script.Result result = job.run(api, tmp);
            assertNotEquals(0, result.exitCode(), "a 403 on reading stops the Job:\n" + result.output());
            assertTrue(result.output().contains("HTTP 403"), result.output());
            assertEquals(null, api.secret(RELEASE + "-orders-db"), "nothing created when the Secret could not be read");
        }
    }

    @Test
    void thePasswordGeneratorObjectsAreTheSameAtEveryRenderAndAskForOneCreation(@TempDir Path tmp) {
        Path descriptor = Tools.projectDir().resolve("src/test/resources/descriptors/valid/secrets.yaml");
        Path secretsChart = Generation.generate(descriptor, tmp);
        Path values = secretsChart.resolve("values-prod.yaml");
        List<String> renders = new ArrayList<>();
        for (Path helm : List.of(Tools.helm3(), Tools.helm4(), Tools.helm3())) {
            renders.add(Tools.run(tmp, helm.toString(), "template", "secrets", secretsChart.toString(), "-f", values.toString(),
                    "--namespace", "shop").assertOk().stdout());
        }
        assertEquals(renders.get(0), renders.get(2), "two renders are the same bytes");
        assertEquals(renders.get(0).replace("\r", ""), renders.get(1).replace("\r", ""));
        String overlay = Tools.run(tmp, Tools.kubectl35().toString(), "kustomize", tmp.resolve("kustomize/secrets/overlays/prod").toString())
                .assertOk().stdout();
        for (String rendered : List.of(renders.get(0), overlay)) {
            KubeSchemaValidator.shared().assertValid(rendered);
            List<Map<String, Object>> docs = KubeSchemaValidator.documents(rendered);
            assertTrue(docs.stream().noneMatch(d -> "Secret".equals(d.get("kind"))), "no Secret is rendered");
            assertTrue(docs.stream().noneMatch(d -> "Job".equals(d.get("kind")) && String.valueOf(get(d, "metadata", "name")).endsWith("-credentials")),
                    "no credentials Job with the Password generator");
            for (String component : List.of("db", "docs")) {
                Map<String, Object> password = find(docs, "Password", "secrets-" + component + "-password");
                assertEquals(40, get(password, "spec", "length"));
                assertEquals(0, get(password, "spec", "symbols"), "passwords fit in URLs");
                Map<String, Object> external = find(docs, "ExternalSecret", "secrets-" + component);
                assertEquals("CreatedOnce", get(external, "spec", "refreshPolicy"));
                assertEquals("Orphan", get(external, "spec", "target", "creationPolicy"));
                assertEquals("secrets-" + component, get(external, "spec", "target", "name"));
                assertEquals("app", get(external, "spec", "target", "template", "data", "username"));
                assertEquals("secrets-" + component + "-password",
                        get(map(list(get(external, "spec", "dataFrom")).get(0)), "sourceRef", "generatorRef", "name"));
                Map<String, Object> ref = secretKeyRef(find(docs, "Deployment", "secrets-web"), component.toUpperCase() + "_PASSWORD");
                assertEquals("secrets-" + component, ref.get("name"), "the client reads the Secret the ExternalSecret fills");
            }
            assertEquals(List.of("password", "root-password"), get(find(docs, "Password", "secrets-docs-password"), "spec", "secretKeys"));
        }
        Map<String, Map<String, Object>> helmObjects = KustomizeTest.byKey(KubeSchemaValidator.documents(renders.get(0)), true);
        Map<String, Map<String, Object>> kustomizeObjects = KustomizeTest.byKey(KubeSchemaValidator.documents(overlay), true);
        for (String key : List.of("ExternalSecret/secrets-db", "Password/secrets-db-password", "ExternalSecret/secrets-docs")) {
            assertEquals(helmObjects.get(key), kustomizeObjects.get(key), key + " is the same through Helm and through Kustomize");
        }
    }

    // ---- running a rendered Job ----

    /** The container of a rendered credentials Job: its command and environment, as Kubernetes would run them. */
    record Job(List<String> command, Map<String, String> env, List<Map<String, Object>> roleRules) {
        Script.Result run(FakeKubernetesApi api, Path tmp) throws Exception {
            Map<String, String> environment = new LinkedHashMap<>(env);
            environment.put("API_SERVER", api.url());
            environment.put("SERVICE_ACCOUNT_DIR", api.serviceAccount().toString());
            environment.put("TMPDIR", Files.createDirectories(tmp.resolve("job-tmp")).toString());
            return Script.run(command, environment, tmp);
        }
    }

    private static Job job(List<Map<String, Object>> docs, String component) {
        String name = RELEASE + "-" + component + "-credentials";
        Map<String, Object> job = find(docs, "Job", name);
        Map<String, Object> container = map(list(get(job, "spec", "template", "spec", "containers")).get(0));
        @SuppressWarnings("unchecked")
        List<String> command = (List<String>) container.get("command");
        Map<String, String> env = new LinkedHashMap<>();
        for (Object e : list(container.get("env"))) {
            env.put((String) map(e).get("name"), String.valueOf(map(e).get("value")));
        }
        Map<String, Object> role = find(docs, "Role", name);
        Map<String, Object> binding = find(docs, "RoleBinding", name);
        assertEquals(name, get(binding, "roleRef", "name"));
        assertEquals(name, get(map(list(binding.get("subjects")).get(0)), "name"));
        assertEquals(name, get(job, "spec", "template", "spec", "serviceAccountName"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rules = (List<Map<String, Object>>) (List<?>) list(role.get("rules"));
        return new Job(command, env, rules);
    }

    private static void runJob(FakeKubernetesApi api, List<Map<String, Object>> docs, String component, Path tmp) throws Exception {
        Job job = job(docs, component);
        api.authorize(job.roleRules());
        Script.Result result = job.run(api, tmp);
        assertEquals(0, result.exitCode(), component + ": the credentials Job failed:\n" + result.output());
    }

    /** Runs a command with exactly the given environment (and PATH), as a container would. */
    static final class Script {
        record Result(int exitCode, String output) {
        }

        /**
         * Runs the command as the Job's image would: busybox's sh and tools (as in curlimages/curl,
         * an Alpine image), and curl, are all there is on the PATH.
         */
        static Result run(List<String> command, Map<String, String> env, Path cwd) throws Exception {
            Path bin = Files.createDirectories(cwd.resolve("image-bin"));
            Path busybox = Path.of(Tools.run(cwd, "sh", "-c", "command -v busybox").assertOk().stdout().strip());
            for (String applet : List.of("sh", "head", "base64", "tr", "cat")) {
                if (!Files.exists(bin.resolve(applet), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.createSymbolicLink(bin.resolve(applet), busybox);
                }
            }
            if (!Files.exists(bin.resolve("curl"), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(bin.resolve("curl"), Path.of(Tools.run(cwd, "sh", "-c", "command -v curl").assertOk().stdout().strip()));
            }
            List<String> resolved = new ArrayList<>(command);
            resolved.set(0, bin.resolve(command.get(0)).toString());
            ProcessBuilder builder = new ProcessBuilder(resolved).directory(cwd.toFile()).redirectErrorStream(true);
            builder.environment().clear();
            builder.environment().put("PATH", bin.toString());
            builder.environment().putAll(env);
            builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the Job's script ended");
            return new Result(process.exitValue(), output);
        }
    }

    // ---- helpers ----

    private static Map<String, Object> secretKeyRef(Map<String, Object> workload, String variable) {
        for (Object container : list(get(workload, "spec", "template", "spec", "containers"))) {
            for (Object e : list(map(container).get("env"))) {
                if (variable.equals(map(e).get("name"))) {
                    return map(get(e, "valueFrom", "secretKeyRef"));
                }
            }
        }
        throw new AssertionError("no variable " + variable + " in " + get(workload, "metadata", "name"));
    }

    private static Map<String, Object> find(List<Map<String, Object>> docs, String kind, String name) {
        return docs.stream().filter(d -> kind.equals(d.get("kind")) && name.equals(get(d, "metadata", "name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " rendered"));
    }

    private static void assertNoFileContains(String text) throws IOException {
        try (Stream<Path> files = Files.walk(out)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertFalse(Files.readString(file, StandardCharsets.ISO_8859_1).contains(text), file + " contains a password");
            }
        }
    }
}
