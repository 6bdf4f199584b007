package dev.castle.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.castle.testing.Tools;

/**
 * {@code castle generate --pin-digests} against a real OCI registry (Debian's docker-registry): an
 * image manifest and a multi-platform index pushed here by the distribution API, then generated
 * charts whose pods run {@code repository:tag@digest} with the digests the registry computed, as Helm
 * 3 and 4 render them; an unknown tag is refused at its line, nothing written.
 */
@Tag("integration")
class PinDigestsTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static String sha256(byte[] bytes) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** Uploads a blob in one request (POST then PUT with the digest), returns its descriptor's digest. */
    private static String blob(String base, String repository, byte[] content) throws Exception {
        HttpResponse<Void> start = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v2/" + repository + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(202, start.statusCode());
        String location = start.headers().firstValue("Location").orElseThrow();
        URI upload = URI.create(base).resolve(location);
        String digest = sha256(content);
        String put = upload + (upload.getQuery() == null ? "?" : "&") + "digest=" + digest;
        HttpResponse<Void> done = HTTP.send(HttpRequest.newBuilder(URI.create(put)).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(201, done.statusCode());
        return digest;
    }

    /** Puts a manifest under a tag; returns the digest the registry reports. */
    private static String manifest(String base, String repository, String tag, String mediaType, String json) throws Exception {
        HttpResponse<Void> put = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v2/" + repository + "/manifests/" + tag))
                .header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(201, put.statusCode(), "manifest " + tag);
        String digest = put.headers().firstValue("Docker-Content-Digest").orElseThrow();
        assertEquals(sha256(json.getBytes(StandardCharsets.UTF_8)), digest);
        return digest;
    }

    /** Pushes a one-layer image under repository:tag (its blobs in that repository); returns the manifest's digest. */
    private static String image(String base, String repository, String tag) throws Exception {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},\"config\":{\"Labels\":{\"tag\":\""
                + repository + ":" + tag + "\"}}}").getBytes(StandardCharsets.UTF_8);
        byte[] layer = ("the layer of " + repository + ":" + tag).getBytes(StandardCharsets.UTF_8);
        String json = """
                {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",\
                "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%d},\
                "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":%d}]}"""
                .formatted(blob(base, repository, config), config.length, blob(base, repository, layer), layer.length);
        return manifest(base, repository, tag, "application/vnd.oci.image.manifest.v1+json", json);
    }

    /**
     * Every image castle writes is pinned, in the base values and in an environment's: a service's
     * canary, hook, sidecar, init container and versions; an embedded Redis and its exporter; castle's
     * dependency-wait and test image; Docker Hub's images asked from the local registry as its mirror.
     */
    @Test
    void everyImageIsPinnedThroughAMirror(@TempDir Path tmp) throws Exception {
        try (LocalRegistry registry = LocalRegistry.start(tmp, Optional.empty())) {
            String base = "http://" + registry.address();
            java.util.Map<String, String> digests = new java.util.TreeMap<>();
            for (String reference : java.util.List.of("acme/web:1.0.0", "acme/web:1.1.0", "acme/web:1.2.0", "acme/migrate:1.0.0",
                    "acme/exporter:0.1.0", "acme/clone:2.0.0", "acme/web:2.0.0", "library/redis:7.4.1", "oliver006/redis_exporter:v1.67.0",
                    "library/busybox:1.37.0")) {
                String[] parts = reference.split(":");
                digests.put(reference, image(base, parts[0], parts[1]));
            }
            Path descriptor = Files.writeString(tmp.resolve("castle.yaml"), """
                    apiVersion: castle/v1alpha1
                    kind: System
                    metadata: {name: every, version: 1.0.0}
                    infrastructure:
                      cache: {type: redis, auth: none, metrics: true, storage: {ephemeral: true}}
                    services:
                      web:
                        image: %1$s/acme/web:1.0.0
                        ports: {http: 8080}
                        dependsOn: [{name: cache, startup: true}]
                        canary: {image: {tag: 1.1.0}, weight: 10}
                        hooks:
                          migrate: {when: [pre-upgrade], image: "%1$s/acme/migrate:1.0.0"}
                        sidecars:
                          exporter: {image: "%1$s/acme/exporter:0.1.0", ports: {metrics: 9113}}
                        initContainers:
                          clone: {image: "%1$s/acme/clone:2.0.0"}
                      reviews:
                        image: %1$s/acme/web:1.0.0
                        ports: {http: 8080}
                        versions: {v1: {}, v2: {image: {tag: 2.0.0}}}
                    environments:
                      prod:
                        services:
                          web: {image: {tag: 1.2.0}}
                    """.formatted(registry.address()));
            Path out = tmp.resolve("out");
            Castle.Result generated = Castle.run("generate", descriptor.toString(), "-o", out.toString(), "--no-kustomize", "--pin-digests", "--plain-http",
                    "--registry-mirror", "docker.io=" + registry.address());
            assertEquals(0, generated.status(), generated.err());
            for (Path helm : java.util.List.of(Tools.helm3(), Tools.helm4())) {
                String rendered = Tools.run(tmp, helm.toString(), "template", "every", out.resolve("every").toString()).assertOk().stdout();
                String prod = Tools.run(tmp, helm.toString(), "template", "every", out.resolve("every").toString(), "-f",
                        out.resolve("every/values-prod.yaml").toString()).assertOk().stdout();
                digests.forEach((reference, digest) -> {
                    String[] parts = reference.split(":");
                    String host = parts[0].startsWith("acme/") ? registry.address() + "/" : "docker.io/";
                    String written = host + reference + "@" + digest;
                    if (reference.equals("acme/web:1.2.0")) {
                        assertTrue(prod.contains(written), "the environment's own image: " + written);
                        assertFalse(rendered.contains(written), written);
                    } else if (!reference.equals("acme/migrate:1.0.0") && !reference.equals("acme/web:1.1.0")) { // a pre-upgrade hook, a canary not started
                        assertTrue(rendered.contains(written), written + " in\n" + rendered);
                    }
                });
                java.util.regex.Matcher images = java.util.regex.Pattern.compile("image: \"?([^\"\n]+)").matcher(rendered + prod);
                while (images.find()) {
                    assertTrue(images.group(1).contains("@sha256:"), "every image pinned: " + images.group(1));
                }
            }
            String values = Files.readString(out.resolve("every/charts/web/values.yaml"));
            assertTrue(values.contains(digests.get("acme/migrate:1.0.0")), "the hook's image, pinned in the values");
            assertTrue(values.contains(digests.get("acme/web:1.1.0")), "the canary's image, pinned in the values");
        }
    }

    @Test
    void tagsBecomeTheRegistrysDigests(@TempDir Path tmp) throws Exception {
        try (LocalRegistry registry = LocalRegistry.start(tmp, Optional.empty())) {
            String base = "http://" + registry.address();
            byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}".getBytes(StandardCharsets.UTF_8);
            byte[] layer = "not really a tar, the registry does not look".getBytes(StandardCharsets.UTF_8);
            String configDigest = blob(base, "acme/web", config);
            String layerDigest = blob(base, "acme/web", layer);
            String image = """
                    {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",\
                    "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%d},\
                    "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":%d}]}"""
                    .formatted(configDigest, config.length, layerDigest, layer.length);
            String imageDigest = manifest(base, "acme/web", "1.0.0", "application/vnd.oci.image.manifest.v1+json", image);
            String index = """
                    {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[\
                    {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":%d,\
                    "platform":{"architecture":"amd64","os":"linux"}}]}""".formatted(imageDigest, image.length());
            String indexDigest = manifest(base, "acme/web", "multi", "application/vnd.oci.image.index.v1+json", index);
            image(base, "library/busybox", "1.37.0"); // castle's dependency-wait and test image, asked from the mirror

            Path descriptor = Files.writeString(tmp.resolve("castle.yaml"), """
                    apiVersion: castle/v1alpha1
                    kind: System
                    metadata: {name: pinned, version: 1.0.0}
                    services:
                      web:
                        image: %1$s/acme/web:1.0.0
                        ports: {http: 8080}
                      multi:
                        image: {registry: "%1$s", repository: acme/web, tag: multi}
                        ports: {http: 8080}
                    """.formatted(registry.address()));
            Path out = tmp.resolve("out");
            Castle.Result generated = Castle.run("generate", descriptor.toString(), "-o", out.toString(), "--no-kustomize", "--pin-digests", "--plain-http",
                    "--registry-mirror", "docker.io=" + registry.address());
            assertEquals(0, generated.status(), generated.err());
            for (Path helm : java.util.List.of(Tools.helm3(), Tools.helm4())) {
                String rendered = Tools.run(tmp, helm.toString(), "template", "pinned", out.resolve("pinned").toString()).assertOk().stdout();
                assertTrue(rendered.contains(registry.address() + "/acme/web:1.0.0@" + imageDigest + "\""), rendered);
                assertTrue(rendered.contains(registry.address() + "/acme/web:multi@" + indexDigest + "\""), "the index's digest, not a platform's");
            }

            Files.writeString(descriptor, Files.readString(descriptor).replace("acme/web:1.0.0", "acme/web:9.9.9"));
            Path untouched = tmp.resolve("untouched");
            Castle.Result refused = Castle.run("generate", descriptor.toString(), "-o", untouched.toString(), "--pin-digests", "--plain-http",
                    "--registry-mirror", "docker.io=" + registry.address());
            assertEquals(2, refused.status(), refused.err());
            assertTrue(refused.err().contains("castle.yaml:6:12") && refused.err().contains("the registry has no tag '9.9.9' of acme/web"), refused.err());
            assertFalse(Files.exists(untouched), "nothing written");
        }
    }
}
