package dev.castle.charts;

import static dev.castle.charts.PodChecks.get;
import static dev.castle.charts.PodChecks.list;
import static dev.castle.charts.PodChecks.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.castle.testing.KubeSchemaValidator;
import dev.castle.testing.Tools;

/**
 * Given descriptors/valid/secrets.yaml (a store castle writes, ExternalSecrets by key and by whole
 * remote secret, registry credentials, a Sealed Secret per namespace; dev with a store that exists
 * and its own sealed file, prod with the Secret left to the cluster), Helm 3 and Helm 4 render, in
 * each environment's namespace, exactly the ExternalSecrets, SealedSecrets and store of that
 * environment, every one strictly valid; the chart refuses a namespace it has no sealed data for;
 * every documented value changes the output; the Kustomize overlays carry the same objects; and
 * every GitOps folder builds with kustomize 5.4 and 5.7 into valid Argo CD and Flux objects that
 * point at paths castle wrote.
 */
@Tag("integration")
class SecretManagersTest {
    private static final Path DESCRIPTOR = Tools.projectDir().resolve("src/test/resources/descriptors/valid/secrets.yaml");

    @TempDir
    static Path out;
    static Path chart;

    @BeforeAll
    static void generate() {
        chart = Generation.generate(DESCRIPTOR, out);
    }

    private static Tools.Result template(Path helm, String namespace, String values, String... sets) {
        List<String> command = new ArrayList<>(List.of(helm.toString(), "template", "secrets", chart.toString(), "--namespace", namespace));
        if (values != null) {
            command.addAll(List.of("-f", chart.resolve(values).toString()));
        }
        for (String set : sets) {
            command.addAll(List.of("--set", set));
        }
        return Tools.run(out, command);
    }

    private static List<Map<String, Object>> rendered(Path helm, String namespace, String values, String... sets) {
        String text = template(helm, namespace, values, sets).assertOk().stdout();
        KubeSchemaValidator.shared().assertValid(text);
        return KubeSchemaValidator.documents(text);
    }

    private static List<String> names(List<Map<String, Object>> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(d.get("kind"))).map(d -> (String) get(d, "metadata", "name")).sorted().toList();
    }

    private static Map<String, Object> find(List<Map<String, Object>> docs, String kind, String name) {
        return docs.stream().filter(d -> kind.equals(d.get("kind")) && name.equals(get(d, "metadata", "name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    @Test
    void eachEnvironmentGetsItsOwnSecretsFromItsOwnStore() {
        for (Path helm : List.of(Tools.helm3(), Tools.helm4())) {
            List<Map<String, Object>> base = rendered(helm, "secrets", null);
            assertEquals(List.of("api-keys", "registry", "shared-config"), names(base, "ExternalSecret"));
            assertEquals(List.of("tls-cert"), names(base, "SealedSecret"));
            assertEquals(List.of("shop-secrets"), names(base, "SecretStore"));
            assertEquals("shop-secrets-reader", get(find(base, "SecretStore", "shop-secrets"), "spec", "provider", "kubernetes", "auth",
                    "serviceAccount", "name"));
            Map<String, Object> registry = find(base, "ExternalSecret", "registry");
            assertEquals("kubernetes.io/dockerconfigjson", get(registry, "spec", "target", "template", "type"));
            assertEquals(Map.of("name", "shop-secrets", "kind", "SecretStore"), get(registry, "spec", "secretStoreRef"));
            assertEquals("30m", get(registry, "spec", "refreshInterval"), "the store's interval");
            assertEquals("-1", get(registry, "metadata", "annotations", "argocd.argoproj.io/sync-wave"), "before the workloads");
            Map<String, Object> apiKeys = find(base, "ExternalSecret", "api-keys");
            assertEquals("15m", get(apiKeys, "spec", "refreshInterval"));
            Map<String, Object> mail = map(list(get(apiKeys, "spec", "data")).get(0));
            assertEquals("mail-password", mail.get("secretKey"));
            assertEquals(Map.of("key", "mail", "property", "password", "version", "3", "conversionStrategy", "Default",
                    "decodingStrategy", "None", "metadataPolicy", "None", "nullBytePolicy", "Ignore"), mail.get("remoteRef"),
                    "the operator's defaults written, so Argo CD sees no difference");
            assertEquals(Map.of("name", "vault", "kind", "ClusterSecretStore"), get(find(base, "ExternalSecret", "shared-config"), "spec", "secretStoreRef"));
            Map<String, Object> sealed = find(base, "SealedSecret", "tls-cert");
            assertEquals("kubernetes.io/tls", get(sealed, "spec", "template", "type"));
            assertEquals("true", get(sealed, "metadata", "annotations", "sealedsecrets.bitnami.com/cluster-wide"), "sealed for any namespace");
            assertEquals(get(sealed, "spec"), get(find(rendered(helm, "anywhere", null), "SealedSecret", "tls-cert"), "spec"));
            Map<String, Object> web = find(base, "Deployment", "secrets-web");
            assertEquals(List.of(Map.of("name", "registry")), get(web, "spec", "template", "spec", "imagePullSecrets"));

            List<Map<String, Object>> dev = rendered(helm, "secrets-dev", "values-dev.yaml");
            assertEquals(List.of(), names(dev, "SecretStore"), "dev's store exists in the cluster");
            assertEquals(Map.of("name", "fake-store", "kind", "ClusterSecretStore"), get(find(dev, "ExternalSecret", "api-keys"), "spec", "secretStoreRef"));
            assertNotEquals(get(sealed, "spec", "encryptedData"), get(find(dev, "SealedSecret", "tls-cert"), "spec", "encryptedData"),
                    "dev's own sealed data");
            assertEquals("secrets-dev", get(find(dev, "SealedSecret", "tls-cert"), "spec", "template", "metadata", "namespace"));

            List<Map<String, Object>> prod = rendered(helm, "shop", "values-prod.yaml");
            assertEquals(List.of(), names(prod, "SealedSecret"), "prod leaves tls-cert to the cluster");
            assertEquals(List.of("api-keys", "registry", "secrets-db", "secrets-docs", "shared-config"), names(prod, "ExternalSecret"));
        }
    }

    @Test
    void aSealedSecretIsInstalledOnlyWhereItCanBeUnsealed() {
        for (Path helm : List.of(Tools.helm3(), Tools.helm4())) {
            // dev's own, without the cluster-wide one: only dev's namespace can unseal it
            Tools.Result wrong = template(helm, "elsewhere", "values-dev.yaml", "secrets.tls-cert.sealedSecret.namespaces.\\*=null");
            assertNotEquals(0, wrong.exitCode(), helm + " rendered a SealedSecret for the wrong namespace");
            assertTrue(wrong.stderr().contains("the SealedSecret tls-cert is sealed for the namespaces secrets-dev, not for elsewhere"), wrong.stderr());
            assertTrue(wrong.stderr().contains("kubeseal --namespace elsewhere"), wrong.stderr());
        }
    }

    @Test
    void everyDocumentedValueChangesTheOutput() {
        for (Path helm : List.of(Tools.helm3(), Tools.helm4())) {
            List<Map<String, Object>> docs = rendered(helm, "secrets", null, "secrets.api-keys.from=existing",
                    "secrets.registry.externalSecret.refreshInterval=5m", "secrets.registry.type=kubernetes.io/dockercfg",
                    "secrets.registry.externalSecret.store.name=other", "secrets.registry.externalSecret.store.kind=ClusterSecretStore",
                    "secrets.shared-config.externalSecret.dataFrom[0].key=shop/other", "secretStore.name=renamed",
                    "secretStore.kind=ClusterSecretStore");
            assertEquals(List.of("registry", "shared-config"), names(docs, "ExternalSecret"));
            Map<String, Object> registry = find(docs, "ExternalSecret", "registry");
            assertEquals("5m", get(registry, "spec", "refreshInterval"));
            assertEquals("kubernetes.io/dockercfg", get(registry, "spec", "target", "template", "type"));
            assertEquals(Map.of("name", "other", "kind", "ClusterSecretStore"), get(registry, "spec", "secretStoreRef"));
            assertEquals("shop/other", get(map(list(get(find(docs, "ExternalSecret", "shared-config"), "spec", "dataFrom")).get(0)), "extract", "key"));
            assertEquals(List.of("renamed"), names(docs, "ClusterSecretStore"));
            assertEquals(List.of(), names(rendered(helm, "secrets", null, "secretStore.create=false"), "SecretStore"));
            Tools.Result missing = template(helm, "secrets", null, "secretStore.provider=vault");
            assertNotEquals(0, missing.exitCode());
            assertTrue(missing.stderr().contains("secretStore.provider vault names none of secretStore.providers (kubernetes)"), missing.stderr());
            List<Map<String, Object>> sealedOnly = rendered(helm, "secrets-dev", "values-dev.yaml",
                    "secrets.tls-cert.sealedSecret.namespaces.secrets-dev.scope=namespace-wide");
            assertEquals("true", get(find(sealedOnly, "SealedSecret", "tls-cert"), "metadata", "annotations",
                    "sealedsecrets.bitnami.com/namespace-wide"));
            List<Map<String, Object>> job = rendered(helm, "secrets", null, "db.credentials.length=48",
                    "db.credentials.job.image.tag=8.12.0", "db.credentials.job.activeDeadlineSeconds=60", "db.credentials.job.backoffLimit=1");
            Map<String, Object> credentials = find(job, "Job", "secrets-db-credentials");
            assertEquals(60, get(credentials, "spec", "activeDeadlineSeconds"));
            assertEquals(1, get(credentials, "spec", "backoffLimit"));
            Map<String, Object> container = map(list(get(credentials, "spec", "template", "spec", "containers")).get(0));
            assertEquals("docker.io/curlimages/curl:8.12.0", container.get("image"));
            assertTrue(list(container.get("env")).contains(Map.of("name", "PASSWORD_LENGTH", "value", "48")), container.toString());
            List<Map<String, Object>> more = rendered(helm, "secrets", null, "db.credentials.job.networkPolicy=false",
                    "db.credentials.job.resources.limits.memory=64Mi", "db.credentials.job.securityContext.runAsUser=1000",
                    "db.credentials.job.image.registry=mirror.example.com", "db.credentials.job.image.pullPolicy=Always",
                    "db.credentials.job.image.digest=sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                    "secretStore.providers.kubernetes.remoteNamespace=other");
            assertTrue(names(more, "NetworkPolicy").stream().noneMatch(n -> n.equals("secrets-db-credentials")), "networkPolicy=false");
            assertTrue(names(more, "NetworkPolicy").contains("secrets-docs-credentials"));
            Map<String, Object> changed = map(list(get(find(more, "Job", "secrets-db-credentials"), "spec", "template", "spec", "containers")).get(0));
            assertEquals("64Mi", get(changed, "resources", "limits", "memory"));
            assertEquals(1000, get(changed, "securityContext", "runAsUser"));
            assertEquals("mirror.example.com/curlimages/curl:8.11.1@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                    changed.get("image"));
            assertEquals("Always", changed.get("imagePullPolicy"));
            assertEquals("other", get(find(more, "SecretStore", "shop-secrets"), "spec", "provider", "kubernetes", "remoteNamespace"));
        }
    }

    @Test
    void theKustomizeOverlaysCarryTheSameObjects() {
        for (Path kubectl : List.of(Tools.kubectl31(), Tools.kubectl35())) {
            Tools.Result dev = Tools.run(out, kubectl.toString(), "kustomize", out.resolve("kustomize/secrets/overlays/dev").toString()).assertOk();
            assertEquals("", dev.stderr());
            KubeSchemaValidator.shared().assertValid(dev.stdout());
            List<Map<String, Object>> docs = KubeSchemaValidator.documents(dev.stdout());
            assertEquals(List.of("api-keys", "registry", "shared-config"), names(docs, "ExternalSecret"));
            Map<String, Object> sealed = find(docs, "SealedSecret", "tls-cert");
            assertEquals("secrets-dev", get(sealed, "metadata", "namespace"));
            assertEquals(get(find(rendered(Tools.helm4(), "secrets-dev", "values-dev.yaml"), "SealedSecret", "tls-cert"), "spec"), sealed.get("spec"));
            List<Map<String, Object>> prod = KubeSchemaValidator.documents(Tools.run(out, kubectl.toString(), "kustomize",
                    out.resolve("kustomize/secrets/overlays/prod").toString()).assertOk().stdout());
            assertEquals(List.of(), names(prod, "SealedSecret"));
            assertEquals(List.of("secrets-db-password", "secrets-docs-password"), names(prod, "Password"));
        }
    }

    @Test
    void everyGitOpsFolderBuildsIntoValidObjectsThatPointAtWhatCastleWrote() throws IOException {
        Path gitops = out.resolve("gitops/secrets");
        List<Path> folders;
        try (Stream<Path> files = Files.walk(gitops)) {
            folders = files.filter(f -> f.getFileName().toString().equals("kustomization.yaml")).map(Path::getParent).sorted().toList();
        }
        assertEquals(5, folders.size(), "argocd/applications and flux/{helm,kustomize}/<name> of dev and prod: " + folders);
        for (Path kubectl : List.of(Tools.kubectl31(), Tools.kubectl35())) {
            for (Path folder : folders) {
                Tools.Result built = Tools.run(out, kubectl.toString(), "kustomize", folder.toString()).assertOk();
                assertEquals("", built.stderr(), kubectl + " kustomize " + folder + " warned");
                KubeSchemaValidator.shared().assertValid(built.stdout());
                for (Map<String, Object> doc : KubeSchemaValidator.documents(built.stdout())) {
                    pointsAtOutput(doc);
                }
            }
        }
        String set = Files.readString(gitops.resolve("argocd/applicationset.yaml"));
        KubeSchemaValidator.shared().assertValid(set);
    }

    /** Paths in the Git repository (under gitops.path, clusters/charts-out) are files and folders castle wrote. */
    private static void pointsAtOutput(Map<String, Object> doc) {
        String prefix = "clusters/charts-out/";
        List<String> paths = new ArrayList<>();
        switch ((String) doc.get("kind")) {
            case "Application" -> {
                paths.add((String) get(doc, "spec", "source", "path"));
                for (Object file : list(get(doc, "spec", "source", "helm", "valueFiles"))) {
                    paths.add(get(doc, "spec", "source", "path") + "/" + file);
                }
            }
            case "HelmRelease" -> {
                paths.add(((String) get(doc, "spec", "chart", "spec", "chart")).substring(2));
                for (Object file : list(get(doc, "spec", "chart", "spec", "valuesFiles"))) {
                    paths.add(((String) file).substring(2));
                }
            }
            case "Kustomization" -> paths.add(((String) get(doc, "spec", "path")).substring(2));
            default -> {
            }
        }
        for (String path : paths) {
            assertTrue(path.startsWith(prefix), path);
            assertTrue(Files.exists(out.resolve(path.substring(prefix.length()))), doc.get("kind") + " points at " + path + ", which castle wrote");
        }
    }
}
