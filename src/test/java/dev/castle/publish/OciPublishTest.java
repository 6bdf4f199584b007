package dev.castle.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.castle.testing.KubeSchemaValidator;
import dev.castle.testing.Tools;

/**
 * Given a real OCI registry (Distribution, on a loopback port), when castle publishes the shop
 * chart, then the manifest carries Helm's media types, real Helm 3 and Helm 4 pull and render it
 * (and the rendered manifests are valid Kubernetes), the pulled archive is castle's, and the
 * manifest is the one {@code helm push} writes for the same archive.
 */
@Tag("integration")
class OciPublishTest {
    @TempDir
    static Path tmp;
    static LocalRegistry registry;
    static final ObjectMapper JSON = new ObjectMapper();
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

    @BeforeAll
    static void startRegistry() throws Exception {
        registry = LocalRegistry.start(tmp, Optional.empty());
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void helmPullsAndRendersWhatCastlePublished(@TempDir Path work) throws Exception {
        Path chart = Castle.generateShop(work.resolve("out"));
        String repo = "oci://" + registry.address() + "/charts";
        Castle.Result published = Castle.run("publish", chart.toString(), repo, "--plain-http").assertOk();
        assertTrue(published.out().contains("published shop 0.1.0 as " + repo + "/shop:0.1.0"), published.out());
        assertTrue(published.out().contains("helm install shop " + repo + "/shop --version 0.1.0 --plain-http"), published.out());

        Path packaged = Files.createDirectories(work.resolve("packaged"));
        Castle.run("package", chart.toString(), "-d", packaged.toString()).assertOk();
        String archiveDigest = "sha256:" + Castle.sha256(packaged.resolve("shop-0.1.0.tgz"));

        HttpResponse<String> response = manifest("charts/shop", "0.1.0");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(OCI_MANIFEST, response.headers().firstValue("Content-Type").orElse(""));
        JsonNode manifest = JSON.readTree(response.body());
        assertEquals(2, manifest.get("schemaVersion").asInt());
        assertEquals("application/vnd.cncf.helm.config.v1+json", manifest.at("/config/mediaType").asText());
        assertEquals(1, manifest.get("layers").size());
        assertEquals("application/vnd.cncf.helm.chart.content.v1.tar+gzip", manifest.at("/layers/0/mediaType").asText());
        assertEquals(archiveDigest, manifest.at("/layers/0/digest").asText(), "the layer is the archive castle package writes");
        assertEquals("shop", manifest.at("/annotations/org.opencontainers.image.title").asText());
        assertEquals("0.1.0", manifest.at("/annotations/org.opencontainers.image.version").asText());
        JsonNode config = JSON.readTree(blob("charts/shop", manifest.at("/config/digest").asText()));
        assertEquals("shop", config.get("name").asText());
        assertEquals("2026.11", config.get("appVersion").asText());

        for (Path helm : List.of(Tools.helm3(), Tools.helm4())) {
            Path pulled = Files.createDirectories(work.resolve("pulled-" + helm.getParent().getFileName()));
            Tools.run(work, helm.toString(), "pull", repo + "/shop", "--version", "0.1.0", "--plain-http", "-d", pulled.toString())
                    .assertOk();
            assertEquals(archiveDigest, "sha256:" + Castle.sha256(pulled.resolve("shop-0.1.0.tgz")), helm + " pulled castle's archive");
            String rendered = Tools.run(work, helm.toString(), "template", "shop", repo + "/shop", "--version", "0.1.0",
                    "--plain-http").assertOk().stdout();
            KubeSchemaValidator.shared().assertValid(rendered);
            assertTrue(rendered.contains("name: shop-frontend"), "the services are rendered");
        }
    }

    @Test
    void existingVersionsAreRefusedUnlessForcedAndVersionsCanBeOverridden(@TempDir Path work) throws Exception {
        Path chart = Castle.generateShop(work.resolve("out"));
        Path packaged = Files.createDirectories(work.resolve("packaged"));
        Castle.run("package", chart.toString(), "-d", packaged.toString()).assertOk();
        Path archive = packaged.resolve("shop-0.1.0.tgz");
        String repo = "oci://" + registry.address() + "/team/apps";

        Castle.run("publish", archive.toString(), repo, "--plain-http").assertOk();
        Castle.Result again = Castle.run("publish", archive.toString(), repo, "--plain-http").assertRefused();
        assertTrue(again.err().contains("already exists") && again.err().contains("--force"), again.err());
        Castle.Result forced = Castle.run("publish", archive.toString(), repo, "--plain-http", "--force").assertOk();
        assertTrue(forced.out().startsWith("replaced shop 0.1.0"), forced.out());

        Castle.run("publish", archive.toString(), repo, "--plain-http", "--version", "0.2.0-rc.1+ci.7", "--app-version", "2027.1")
                .assertOk();
        assertEquals(200, manifest("team/apps/shop", "0.2.0-rc.1_ci.7").statusCode(), "+ becomes _ in the tag, as Helm does");
        for (Path helm : List.of(Tools.helm3(), Tools.helm4())) {
            String shown = Tools.run(work, helm.toString(), "show", "chart", repo + "/shop", "--version", "0.2.0-rc.1+ci.7",
                    "--plain-http").assertOk().stdout();
            assertTrue(shown.contains("version: 0.2.0-rc.1+ci.7") && shown.contains("appVersion: \"2027.1\""), shown);
        }

        Castle.Result badVersion = Castle.run("publish", archive.toString(), repo, "--plain-http", "--version", "two").assertRefused();
        assertTrue(badVersion.err().contains("version \"two\" is invalid") && badVersion.err().contains(archive.toString()), badVersion.err());
        Castle.Result unreachable = Castle.run("publish", archive.toString(), "oci://127.0.0.1:" + LocalRegistry.freePort() + "/x",
                "--plain-http").assertRefused();
        assertTrue(unreachable.err().contains("cannot connect"), unreachable.err());
        // Without --plain-http, Helm 3's engine falls back to plain HTTP when the registry answers HTTP on the TLS
        // handshake (Helm's pkg/registry/fallback.go, kept from ORAS v1), as helm push does; a registry whose TLS
        // castle cannot trust is refused (RegistryTrustTest).
        Castle.Result loopback = Castle.run("publish", archive.toString(), repo).assertRefused();
        assertTrue(loopback.err().contains("already exists"), loopback.err());
        Castle.Result badRef = Castle.run("publish", archive.toString(), "oci://" + registry.address() + "/Upper:tag").assertRefused();
        assertTrue(badRef.err().contains("tag"), badRef.err());
    }

    @Test
    void manifestIsTheOneHelmPushWrites(@TempDir Path work) throws Exception {
        Path chart = Castle.generateShop(work.resolve("out"));
        Path packaged = Files.createDirectories(work.resolve("packaged"));
        Castle.run("package", chart.toString(), "-d", packaged.toString()).assertOk();
        Path archive = packaged.resolve("shop-0.1.0.tgz");
        // helm push takes the creation time from the archive's modification time; castle too.
        Files.setLastModifiedTime(archive, FileTime.from(Instant.parse("2026-05-04T03:02:01Z")));
        Castle.run("publish", archive.toString(), "oci://" + registry.address() + "/by-castle", "--plain-http").assertOk();
        for (Path helm : List.of(Tools.helm3(), Tools.helm4())) {
            String target = "by-" + helm.getParent().getFileName();
            Tools.run(work, helm.toString(), "push", archive.toString(), "oci://" + registry.address() + "/" + target, "--plain-http")
                    .assertOk();
            assertEquals(manifest(target + "/shop", "0.1.0").body(), manifest("by-castle/shop", "0.1.0").body(),
                    "castle's manifest is byte for byte " + helm + " push's");
        }
    }

    static HttpResponse<String> manifest(String repository, String tag) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + registry.address() + "/v2/" + repository
                + "/manifests/" + tag)).header("Accept", OCI_MANIFEST).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static String blob(String repository, String digest) throws Exception {
        return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build().send(HttpRequest.newBuilder(
                URI.create("http://" + registry.address() + "/v2/" + repository + "/blobs/" + digest)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
