package dev.castle.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.castle.load.ConfigFileReader;
import dev.castle.load.DescriptorLoader;
import dev.castle.load.Diagnostic;
import dev.castle.load.Node;
import dev.castle.merge.EnvironmentMerge;
import dev.castle.model.ModelBinder;
import dev.castle.model.SystemModel;

/** The rules of secrets from secret managers and of GitOps manifests, each message at its place. */
class SecretAndGitOpsRulesTest {
    private static final String HEADER = """
            apiVersion: castle/v1alpha1
            kind: System
            metadata: {name: shop, version: 1.0.0}
            services:
              web:
                image: ghcr.io/acme/web:1.0.0
                imagePullSecrets: [registry]
                ports: {http: 8080}
                env:
                  API_KEY: {secret: api, key: token}
            """;

    @TempDir
    Path dir;

    List<Diagnostic> check(String yaml) throws Exception {
        Node root = new DescriptorLoader().load(dir.resolve("castle.yaml"), (HEADER + yaml).getBytes(StandardCharsets.UTF_8));
        List<EnvironmentMerge.MergedEnvironment> environments = EnvironmentMerge.environments(root);
        SystemModel model = new ModelBinder(new ConfigFileReader(dir)).bind(root, environments);
        Map<String, Node> trees = new LinkedHashMap<>();
        environments.forEach(e -> trees.put(e.name(), e.descriptor()));
        return Checker.check(model, root, trees, List.of());
    }

    /** The one problem found, as line:column and message. */
    String only(String yaml) throws Exception {
        List<Diagnostic> found = check(yaml);
        assertEquals(1, found.size(), "one problem: " + found);
        Diagnostic d = found.get(0);
        return d.position().line() + ":" + d.position().column() + " " + d.problem() + " (" + d.allowed() + ")";
    }

    static void assertStarts(String expected, String actual) {
        assertTrue(actual.startsWith(expected), actual);
    }

    static void assertContains(String expected, String actual) {
        assertTrue(actual.contains(expected), actual);
    }

    private void sealedFile(String file, String name, String namespace) throws Exception {
        Files.writeString(dir.resolve(file), """
                apiVersion: bitnami.com/v1alpha1
                kind: SealedSecret
                metadata: {name: %s, namespace: %s}
                spec:
                  encryptedData: {token: AgBy8hCi}
                """.formatted(name, namespace));
    }

    @Test
    void anExternalSecretNeedsAStore() throws Exception {
        String problem = only("""
                secrets:
                  api: {externalSecret: {data: {token: {key: shop/api}}}}
                """);
        assertTrue(problem.startsWith("12:25 Secret 'api' has no store to read from"), problem);
    }

    @Test
    void aSourceNeedsItsSettingsAndOneSourceIsChosen() throws Exception {
        assertStarts("12:15 Secret 'api' comes from an ExternalSecret but says nothing of it", only("""
                secrets:
                  api: {from: externalSecret}
                """));
        assertStarts("12:15 Secret 'api' comes from a SealedSecret but names no file", only("""
                secrets:
                  api: {from: sealedSecret}
                """));
        sealedFile("api.yaml", "api", "shop");
        assertStarts("13:8 Secret 'api' has both externalSecret and sealedSecret settings", only("""
                secretStore: {name: vault}
                secrets:
                  api: {externalSecret: {data: {token: {key: a}}}, sealedSecret: {file: api.yaml}}
                """));
    }

    @Test
    void aSealedFileIsSealedForThisNameAndTheNamespaceItGoesTo() throws Exception {
        sealedFile("other-name.yaml", "apikey", "shop");
        assertStarts("12:30 sealed secret file 'other-name.yaml' was sealed for the name 'apikey', not 'api'", only("""
                secrets:
                  api: {sealedSecret: {file: other-name.yaml}}
                """));
        sealedFile("prod.yaml", "api", "shop");
        String problem = only("""
                secrets:
                  api: {sealedSecret: {file: prod.yaml}}
                environments:
                  dev: {}
                """);
        assertTrue(problem.startsWith("12:30 in environment dev: sealed secret file 'prod.yaml' was sealed for the namespace 'shop', "
                + "but it is installed into 'shop-dev'"), problem);
        assertTrue(problem.contains("environments.<env>.secrets.api.sealedSecret.file"), problem);
        sealedFile("dev.yaml", "api", "shop-dev");
        assertEquals(List.of(), check("""
                secrets:
                  api: {sealedSecret: {file: prod.yaml}}
                environments:
                  dev:
                    secrets: {api: {sealedSecret: {file: dev.yaml}}}
                """), "each environment names its own file");
        Files.writeString(dir.resolve("plain.yaml"), "apiVersion: v1\nkind: Secret\nmetadata: {name: api}\nstringData: {token: hunter2}\n");
        problem = only("""
                secrets:
                  api: {sealedSecret: {file: plain.yaml}}
                """);
        assertTrue(problem.startsWith("12:30 sealed secret file 'plain.yaml' is not a SealedSecret"), problem);
        assertTrue(problem.contains("kubeseal --name api --namespace shop"), problem);
    }

    @Test
    void referencesNameKeysTheSecretHasAndRegistryCredentialsHaveTheirType() throws Exception {
        String problem = only("""
                secretStore: {name: vault}
                secrets:
                  api: {externalSecret: {data: {tokn: {key: shop/api}}}}
                """);
        assertTrue(problem.startsWith("10:35 'token' is not a key of the Secret 'api' (castle creates it from secrets.api)"), problem);
        assertTrue(problem.contains("one of: tokn"), problem);
        assertStarts("13:20 Secret 'registry' is an imagePullSecret of web but has the type Opaque", only("""
                secretStore: {name: vault}
                secrets:
                  registry: {type: Opaque, externalSecret: {data: {config: {key: ci/registry}}}}
                """));
        assertEquals(List.of(), check("""
                secretStore: {name: vault}
                secrets:
                  api: {externalSecret: {dataFrom: [{key: shop/api}]}}
                  registry: {externalSecret: {data: {.dockerconfigjson: {key: ci/registry}}}}
                """), "keys from dataFrom are the remote secret's; registry credentials default to dockerconfigjson");
    }

    @Test
    void castleWritesNoFakeStore() throws Exception {
        assertStarts("11:62 the fake provider holds secret values, which castle never writes", only("""
                secretStore: {name: dev, kind: SecretStore, provider: {fake: {data: [{key: a, value: b}]}}}
                """));
    }

    @Test
    void theProviderHasTheShapeOfTheSecretStoreCrd() throws Exception {
        assertStarts("11:39 'vaultt' is not a provider of the External Secrets Operator", only("""
                secretStore: {name: vault, provider: {vaultt: {server: "https://vault.example.com"}}}
                """));
        assertStarts("11:46 missing required key 'server' (the SecretStore CRD needs it)", only("""
                secretStore: {name: vault, provider: {vault: {path: secret}}}
                """));
        assertStarts("11:84 unknown key 'servr' (the SecretStore CRD has no such field)", only("""
                secretStore: {name: vault, provider: {vault: {server: "https://vault.example.com", servr: x}}}
                """));
        assertStarts("11:93 value \"v3\" is not allowed by the SecretStore CRD", only("""
                secretStore: {name: vault, provider: {vault: {server: "https://vault.example.com", version: v3}}}
                """));
        assertStarts("11:90 the SecretStore CRD wants string here, not an integer", only("""
                secretStore: {name: vault, provider: {vault: {server: "https://vault.example.com", path: 3}}}
                """));
        assertEquals(List.of(), check("""
                secretStore:
                  name: vault
                  provider:
                    vault:
                      server: "https://vault.example.com"
                      path: secret
                      version: v2
                      auth: {kubernetes: {mountPath: kubernetes, role: shop}}
                """));
    }

    @Test
    void gitOpsNeedsSomethingToDeployAndGitForOverlays() throws Exception {
        assertStarts("11:9 gitops names neither the Git repository of castle's output nor a published chart", only("""
                gitops: {revision: main}
                """));
        assertStarts("11:77 Argo CD reads the Kustomize overlays from Git", only("""
                gitops: {chart: {repository: "oci://ghcr.io/acme/charts"}, argocd: {source: kustomize}}
                """));
        assertEquals(List.of(), check("""
                gitops: {chart: {repository: "oci://ghcr.io/acme/charts"}}
                """));
    }

    @Test
    void gitOpsNamesFitAndTheFolderIsFree() throws Exception {
        String longEnv = "e".repeat(60);
        assertContains("would be named 'shop-" + longEnv + "' (65 characters)", only("""
                gitops: {repository: "https://git.example.com/d.git"}
                environments:
                  %s: {namespace: shop-long}
                """.formatted(longEnv)));
        Node root = new DescriptorLoader().load(dir.resolve("castle.yaml"), (HEADER.replace("name: shop", "name: gitops")
                + "gitops: {repository: \"https://git.example.com/d.git\"}\n").getBytes(StandardCharsets.UTF_8));
        SystemModel model = new ModelBinder(new ConfigFileReader(dir)).bind(root, List.of());
        List<Diagnostic> found = Checker.check(model, root, Map.of(), List.of());
        assertEquals(1, found.size(), found.toString());
        assertTrue(found.get(0).problem().startsWith("a system named 'gitops' would put its chart where castle writes the GitOps manifests"));
    }
}
