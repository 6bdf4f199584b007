package dev.castle.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.castle.load.ConfigFileReader;
import dev.castle.load.DescriptorLoader;
import dev.castle.load.Node;
import dev.castle.merge.EnvironmentMerge;

/** Binding secretStore, secrets, credentials and gitops: every default decided once, sealed files read with the bounded reader. */
class SecretsModelTest {
    @TempDir
    Path dir;

    SystemModel bind(String yaml) throws Exception {
        Node root = new DescriptorLoader().load(dir.resolve("castle.yaml"), yaml.getBytes(StandardCharsets.UTF_8));
        return new ModelBinder(new ConfigFileReader(dir)).bind(root, EnvironmentMerge.environments(root));
    }

    static final String SERVICES = """
            apiVersion: castle/v1alpha1
            kind: System
            metadata: {name: shop, version: 1.2.3}
            services:
              web:
                image: ghcr.io/acme/web:1.0.0
                imagePullSecrets: [registry]
                ports: {http: 8080}
                expose: {hosts: [shop.example.com], tls: {secretName: web-tls}}
            """;

    static String sealed(String name, String namespace, String annotations) {
        return """
                ---
                apiVersion: bitnami.com/v1alpha1
                kind: SealedSecret
                metadata:
                  creationTimestamp: null
                  name: %s
                  namespace: %s%s
                spec:
                  encryptedData:
                    token: AgBy8hCi+zVm
                  template:
                    metadata: {creationTimestamp: null, name: %s, namespace: %s}
                    type: Opaque
                """.formatted(name, namespace, annotations, name, namespace);
    }

    @Test
    void nothingDeclaredMeansExistingSecretsAndAJobForPasswords() throws Exception {
        Secrets secrets = bind(SERVICES).secrets();
        assertEquals(Optional.empty(), secrets.store());
        assertEquals(List.of(), secrets.managed());
        assertEquals(Secrets.Generator.job, secrets.generator());
        assertEquals(32, secrets.passwordLength());
        assertEquals("shop", secrets.namespace(), "the base installs into the namespace named after the system");
    }

    @Test
    void sourcesStoresTypesAndRefreshIntervalsAreDecidedOnce() throws Exception {
        SystemModel system = bind(SERVICES + """
                secretStore: {name: vault, refreshInterval: 30m}
                secrets:
                  registry:
                    externalSecret: {data: {.dockerconfigjson: {key: ci/registry}}}
                  web-tls:
                    externalSecret: {refreshInterval: 5m, data: {tls.crt: {key: tls, property: crt}, tls.key: {key: tls, property: key}}}
                  other:
                    externalSecret:
                      store: {name: local, kind: SecretStore}
                      dataFrom: [{key: app/other, version: "2"}]
                  plain: {from: existing}
                """);
        Secrets secrets = system.secrets();
        assertEquals(Optional.of(new Secrets.Store("vault", Secrets.StoreKind.ClusterSecretStore, "30m", Optional.empty())), secrets.store());
        Secrets.Managed registry = secrets.managed("registry").orElseThrow();
        assertEquals(Secrets.Source.externalSecret, registry.from(), "the source whose settings are given");
        assertEquals(Secrets.DOCKER_CONFIG_JSON, registry.type(), "pods pull images with it");
        assertEquals(Optional.of(new Secrets.StoreRef("vault", Secrets.StoreKind.ClusterSecretStore)), registry.external().orElseThrow().store());
        assertEquals("30m", registry.external().orElseThrow().refreshInterval(), "the store's interval");
        Secrets.Managed tls = secrets.managed("web-tls").orElseThrow();
        assertEquals(Secrets.TLS, tls.type(), "a route serves TLS with it");
        assertEquals("5m", tls.external().orElseThrow().refreshInterval());
        assertEquals(Optional.of(List.of("tls.crt", "tls.key")), tls.keys());
        Secrets.Managed other = secrets.managed("other").orElseThrow();
        assertEquals(Secrets.OPAQUE, other.type());
        assertEquals(Optional.of(new Secrets.StoreRef("local", Secrets.StoreKind.SecretStore)), other.external().orElseThrow().store());
        assertEquals(List.of(new Secrets.RemoteRef("app/other", Optional.empty(), Optional.of("2"))), other.external().orElseThrow().dataFrom());
        assertEquals(Optional.empty(), other.keys(), "dataFrom: the keys are the remote secret's");
        assertEquals(Secrets.Source.existing, secrets.managed("plain").orElseThrow().from());
        assertEquals(List.of("other", "registry", "web-tls"), secrets.created().stream().map(Secrets.Managed::name).toList());
    }

    @Test
    void aSealedFileIsReadAndKeptAsWrittenWithoutItsNulls() throws Exception {
        Files.createDirectories(dir.resolve("sealed"));
        Files.writeString(dir.resolve("sealed/api.yaml"), sealed("api", "shop", ""));
        Files.writeString(dir.resolve("sealed/api-dev.yaml"), sealed("whatever", "shop-dev",
                "\n  annotations: {sealedsecrets.bitnami.com/namespace-wide: \"true\"}"));
        SystemModel system = bind(SERVICES + """
                secrets:
                  api: {sealedSecret: {file: sealed/api.yaml}}
                environments:
                  dev:
                    secrets:
                      api: {sealedSecret: {file: sealed/api-dev.yaml}}
                """);
        Secrets.Sealed sealed = system.secrets().managed("api").orElseThrow().sealed().orElseThrow();
        assertEquals(Optional.empty(), sealed.problem());
        Secrets.SealedFile file = sealed.content().orElseThrow();
        assertEquals("api", file.name());
        assertEquals(Optional.of("shop"), file.namespace());
        assertEquals(Secrets.Scope.strict, file.scope());
        assertEquals(List.of("token"), file.keys());
        assertEquals(Map.of("encryptedData", Map.of("token", "AgBy8hCi+zVm"),
                "template", Map.of("metadata", Map.of("name", "api", "namespace", "shop"), "type", "Opaque")), file.spec());
        SystemModel dev = system.environments().get(0).model();
        assertEquals("shop-dev", dev.secrets().namespace());
        Secrets.SealedFile devFile = dev.secrets().managed("api").orElseThrow().sealed().orElseThrow().content().orElseThrow();
        assertEquals(Secrets.Scope.namespaceWide, devFile.scope());
        assertEquals("whatever", devFile.name());
    }

    @Test
    void unusableSealedFilesSayWhy() throws Exception {
        Files.writeString(dir.resolve("secret.yaml"), "apiVersion: v1\nkind: Secret\nmetadata: {name: api}\ndata: {token: c2VjcmV0}\n");
        Files.writeString(dir.resolve("broken.yaml"), "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nspec: [unclosed\n");
        Files.createSymbolicLink(dir.resolve("escape.yaml"), Path.of("/etc/passwd"));
        SystemModel system = bind(SERVICES + """
                secrets:
                  a: {sealedSecret: {file: secret.yaml}}
                  b: {sealedSecret: {file: broken.yaml}}
                  c: {sealedSecret: {file: ../outside.yaml}}
                  d: {sealedSecret: {file: escape.yaml}}
                  e: {sealedSecret: {file: missing.yaml}}
                """);
        Map<String, String> problems = new java.util.TreeMap<>();
        system.secrets().managed().forEach(m -> problems.put(m.name(), m.sealed().orElseThrow().problem().orElse("")));
        assertTrue(problems.get("a").contains("is not a SealedSecret"), problems.get("a"));
        assertTrue(problems.get("a").contains("has no spec.encryptedData"), problems.get("a"));
        assertTrue(problems.get("b").startsWith("sealed secret file 'broken.yaml', line 4, column 1: invalid YAML"), problems.get("b"));
        assertTrue(problems.get("c").contains("is outside the descriptor's folder"), problems.get("c"));
        assertTrue(problems.get("d").contains("is a link to"), problems.get("d"));
        assertTrue(problems.get("e").contains("sealed secret file 'missing.yaml' does not exist"), problems.get("e"));
    }

    @Test
    void environmentsReplaceTheStoreAndChangeSourcesAndCredentials() throws Exception {
        SystemModel system = bind(SERVICES + """
                secretStore: {name: vault, kind: ClusterSecretStore, provider: {vault: {server: "https://vault:8200"}}}
                credentials: {generator: externalSecrets}
                secrets:
                  registry: {externalSecret: {data: {.dockerconfigjson: {key: ci/registry}}}}
                environments:
                  dev:
                    secretStore: {name: local, kind: SecretStore, provider: {kubernetes: {remoteNamespace: dev-secrets}}}
                    credentials: {generator: job, length: 20}
                    secrets:
                      registry: {from: existing}
                """);
        assertEquals(Optional.of(Map.of("vault", Map.of("server", "https://vault:8200"))), system.secrets().store().orElseThrow().provider());
        Secrets dev = system.environments().get(0).model().secrets();
        assertEquals(new Secrets.Store("local", Secrets.StoreKind.SecretStore, "1h",
                Optional.of(Map.of("kubernetes", Map.of("remoteNamespace", "dev-secrets")))), dev.store().orElseThrow(),
                "the environment's store replaces the base's whole");
        assertEquals(Secrets.Source.existing, dev.managed("registry").orElseThrow().from());
        assertEquals(Secrets.Generator.job, dev.generator());
        assertEquals(20, dev.passwordLength());
        assertEquals(Secrets.Generator.externalSecrets, system.secrets().generator());
    }

    @Test
    void gitOpsDefaultsAndTheCommandLine() throws Exception {
        SystemModel system = bind(SERVICES + """
                gitops: {repository: "git@github.com:acme/deploy.git", chart: {repository: "oci://ghcr.io/acme/charts"}}
                """);
        GitOps gitops = system.gitops().orElseThrow();
        assertEquals("main", gitops.revision());
        assertEquals("charts-out", gitops.path());
        assertEquals(new GitOps.Chart("oci://ghcr.io/acme/charts", "1.2.3"), gitops.chart().orElseThrow(), "the chart's own version");
        assertEquals(new GitOps.ArgoCd("argocd", "default", "https://kubernetes.default.svc", GitOps.ArgoSource.helm, true), gitops.argocd());
        assertEquals(new GitOps.Flux("flux-system", "10m"), gitops.flux());
        assertEquals(GitOps.RevisionKind.branch, gitops.revisionKind());
        GitOps cli = GitOpsBinder.withCommandLine(system, Optional.empty(), Optional.of("refs/tags/v1.2.3")).gitops().orElseThrow();
        assertEquals("git@github.com:acme/deploy.git", cli.repository().orElseThrow());
        assertEquals(GitOps.RevisionKind.name, cli.revisionKind());
        SystemModel none = bind(SERVICES);
        assertEquals(Optional.empty(), none.gitops());
        GitOps fromCli = GitOpsBinder.withCommandLine(none, Optional.of("https://git.example.com/d.git"),
                Optional.of("0123456789abcdef0123456789abcdef01234567")).gitops().orElseThrow();
        assertEquals(GitOps.RevisionKind.commit, fromCli.revisionKind());
        assertEquals("charts-out", fromCli.path());
    }
}
