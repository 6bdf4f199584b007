package dev.castle.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import dev.castle.load.DescriptorLoader;
import dev.castle.load.Node;
import dev.castle.load.SourceMap;

/** The merge stage alone: overrides over the base, keeping where each value was written. */
class EnvironmentMergeTest {
    private static Node.MapNode merged(String yaml, String environment) throws Exception {
        Node root = new DescriptorLoader().load(Path.of("castle.yaml"), yaml.getBytes(StandardCharsets.UTF_8));
        return EnvironmentMerge.environments(root).stream().filter(e -> e.name().equals(environment)).findFirst().orElseThrow().descriptor();
    }

    private static final String BASE = """
            services:
              web:
                image: ghcr.io/acme/web:1.0.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
                replicas: 2
                env: {A: "1", B: "2"}
            infrastructure:
              db: {type: postgresql, storage: {size: 1Gi}, version: "16"}
            environments:
              prod:
                all: {env: {B: "all"}}
                services:
                  web:
                    replicas: 4
                    image: {tag: 2.0.0}
                infrastructure:
                  db: {mode: external, host: db.example.com}
            """;

    @Test
    void overridesMergeKeyByKeyAndKeepTheirOwnPlace() throws Exception {
        Node.MapNode prod = merged(BASE, "prod");
        SourceMap sources = new SourceMap(prod);
        SourceMap.Location replicas = sources.locate("/services/web/replicas", false);
        assertEquals("/environments/prod/services/web/replicas", replicas.pointer());
        assertEquals(13, replicas.position().line());
        assertEquals("/services/web/env/A", sources.locate("/services/web/env/A", false).pointer());
        assertEquals("/environments/prod/all/env/B", sources.locate("/services/web/env/B", false).pointer());
        assertFalse(prod.entries().containsKey("environments"));
    }

    @Test
    void aTagOverrideKeepsTheReferenceAndDropsTheDigest() throws Exception {
        Node image = new SourceMapless(merged(BASE, "prod")).at("services", "web", "image");
        assertEquals("ghcr.io/acme/web:2.0.0", ((Node.ScalarNode) image).text());
    }

    @Test
    void goingExternalDropsTheEmbeddedOnlyKeys() throws Exception {
        Node.MapNode db = (Node.MapNode) new SourceMapless(merged(BASE, "prod")).at("infrastructure", "db");
        assertEquals(java.util.Set.of("type", "mode", "host"), db.entries().keySet());
    }

    @Test
    void theEnvironmentsStoreReplacesTheBasesAndItsSecretsMerge() throws Exception {
        Node.MapNode dev = merged("""
                secretStore: {name: vault, kind: ClusterSecretStore, provider: {vault: {server: "https://vault"}}}
                credentials: {generator: externalSecrets}
                secrets:
                  api: {externalSecret: {data: {token: {key: a}}}}
                  db: {from: existing}
                environments:
                  dev:
                    secretStore: {name: local, provider: {kubernetes: {remoteNamespace: s}}}
                    credentials: {length: 20}
                    secrets:
                      api: {from: existing}
                      new: {sealedSecret: {file: x.yaml}}
                """, "dev");
        SourceMapless tree = new SourceMapless(dev);
        assertEquals(java.util.Set.of("name", "provider"), ((Node.MapNode) tree.at("secretStore")).entries().keySet());
        assertEquals(java.util.Set.of("kubernetes"), ((Node.MapNode) tree.at("secretStore", "provider")).entries().keySet(),
                "a store is one provider: never the base's and the environment's at once");
        assertEquals(java.util.Set.of("generator", "length"), ((Node.MapNode) tree.at("credentials")).entries().keySet());
        assertEquals(java.util.Set.of("externalSecret", "from"), ((Node.MapNode) tree.at("secrets", "api")).entries().keySet());
        assertEquals(java.util.Set.of("api", "db", "new"), ((Node.MapNode) tree.at("secrets")).entries().keySet());
        assertEquals("/environments/dev/secrets/api/from", tree.at("secrets", "api", "from").pointer());
    }

    /** Walks a tree by keys. */
    private record SourceMapless(Node root) {
        Node at(String... keys) {
            Node node = root;
            for (String key : keys) {
                node = ((Node.MapNode) node).entries().get(key).value();
            }
            return node;
        }
    }
}
