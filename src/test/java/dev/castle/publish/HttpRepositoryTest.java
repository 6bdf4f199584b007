package dev.castle.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.castle.testing.KubeSchemaValidator;
import dev.castle.testing.Tools;

/**
 * Given an HTTP chart repository kept as a folder and served by a plain static web server, when
 * castle publishes the shop chart into it, then real Helm 3 and Helm 4 add the repository, find
 * the chart and pull it by name and version; publishing the same version again is refused unless
 * forced, and a second version is merged into index.yaml next to the first, which stays as it was.
 */
@Tag("integration")
class HttpRepositoryTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void helmAddsSearchesAndPullsFromTheFolder(@TempDir Path tmp) throws Exception {
        Path chart = Castle.generateShop(tmp.resolve("out"));
        Path repo = tmp.resolve("repo");
        Castle.Result published = Castle.run("publish", chart.toString(), repo.toString()).assertOk();
        assertTrue(published.out().contains("published shop 0.1.0 in " + repo) && published.out().contains("lists 1 version of shop"),
                published.out());
        String digest = Castle.sha256(repo.resolve("shop-0.1.0.tgz"));

        Map<String, Object> index = Castle.yaml(repo.resolve("index.yaml"));
        assertEquals("v1", index.get("apiVersion"));
        Map<?, ?> entry = (Map<?, ?>) ((List<?>) ((Map<?, ?>) index.get("entries")).get("shop")).get(0);
        assertEquals(List.of("shop-0.1.0.tgz"), entry.get("urls"), "a relative URL");
        assertEquals(digest, entry.get("digest"));
        assertEquals("v2", entry.get("apiVersion"));
        assertEquals("2026.11", entry.get("appVersion"));
        assertTrue(entry.get("dependencies") instanceof List<?> deps && deps.size() > 3, "the dependencies: " + entry);
        assertEquals(helmIndexEntry(tmp, repo, "shop", "0.1.0"), withoutCreated(entry),
                "the entry helm repo index writes for the same archive");

        try (StaticServer server = StaticServer.serve(repo)) {
            for (Path helm : List.of(Tools.helm3(), Tools.helm4())) {
                String name = "castle-" + helm.getParent().getFileName();
                Tools.run(tmp, helm.toString(), "repo", "add", name, server.url()).assertOk();
                assertEquals(List.of("0.1.0"), searchVersions(helm, name), helm + " search repo");
                Path pulled = Files.createDirectories(tmp.resolve("pulled-" + name));
                Tools.run(tmp, helm.toString(), "pull", name + "/shop", "--version", "0.1.0", "-d", pulled.toString()).assertOk();
                assertEquals(digest, Castle.sha256(pulled.resolve("shop-0.1.0.tgz")));
                String rendered = Tools.run(tmp, helm.toString(), "template", "shop", name + "/shop", "--version", "0.1.0")
                        .assertOk().stdout();
                KubeSchemaValidator.shared().assertValid(rendered);
            }

            // The same version again: refused, nothing changed.
            String before = Files.readString(repo.resolve("index.yaml"));
            Castle.Result again = Castle.run("publish", chart.toString(), repo.toUri().toString()).assertRefused();
            assertTrue(again.err().contains("already in") && again.err().contains("--force"), again.err());
            assertEquals(before, Files.readString(repo.resolve("index.yaml")));

            // A second version, from an archive with its version overridden: merged, newest first.
            Path packaged = Files.createDirectories(tmp.resolve("packaged"));
            Castle.run("package", chart.toString(), "-d", packaged.toString()).assertOk();
            Castle.Result second = Castle.run("publish", packaged.resolve("shop-0.1.0.tgz").toString(), "file://" + repo,
                    "--version", "0.2.0", "--app-version", "2027.1").assertOk();
            assertTrue(second.out().contains("lists 2 versions of shop"), second.out());
            Map<String, Object> merged = Castle.yaml(repo.resolve("index.yaml"));
            List<?> versions = (List<?>) ((Map<?, ?>) merged.get("entries")).get("shop");
            assertEquals(List.of("0.2.0", "0.1.0"), versions.stream().map(v -> ((Map<?, ?>) v).get("version")).toList());
            assertEquals(entry, versions.get(1), "the first version's entry is kept as it was, creation time included");
            assertEquals("2027.1", ((Map<?, ?>) versions.get(0)).get("appVersion"));
            assertEquals(helmIndexEntry(tmp, repo, "shop", "0.2.0"), withoutCreated((Map<?, ?>) versions.get(0)));

            for (Path helm : List.of(Tools.helm3(), Tools.helm4())) {
                String name = "castle-" + helm.getParent().getFileName();
                Tools.run(tmp, helm.toString(), "repo", "update", name).assertOk();
                assertEquals(List.of("0.2.0", "0.1.0"), searchVersions(helm, name), helm + " search repo --versions");
                Path pulled = Files.createDirectories(tmp.resolve("pulled2-" + name));
                Tools.run(tmp, helm.toString(), "pull", name + "/shop", "--version", "0.2.0", "-d", pulled.toString()).assertOk();
                String shown = Tools.run(tmp, helm.toString(), "show", "chart", pulled.resolve("shop-0.2.0.tgz").toString())
                        .assertOk().stdout();
                assertTrue(shown.contains("version: 0.2.0") && shown.contains("appVersion: \"2027.1\""), shown);
            }

            // --force replaces a version: new digest, still two versions.
            Castle.Result forced = Castle.run("publish", chart.toString(), repo.toString(), "--force", "--app-version", "2026.12")
                    .assertOk();
            assertTrue(forced.out().startsWith("replaced shop 0.1.0") && forced.out().contains("lists 2 versions"), forced.out());
            Map<String, Object> replaced = Castle.yaml(repo.resolve("index.yaml"));
            List<?> now = (List<?>) ((Map<?, ?>) replaced.get("entries")).get("shop");
            assertEquals("2026.12", ((Map<?, ?>) now.get(1)).get("appVersion"));
            assertEquals(Castle.sha256(repo.resolve("shop-0.1.0.tgz")), ((Map<?, ?>) now.get(1)).get("digest"));
        }

        Castle.Result http = Castle.run("publish", chart.toString(), "https://charts.example.com").assertRefused();
        assertTrue(http.err().contains("folder"), http.err());
    }

    /** The versions of shop that {@code helm search repo --versions} lists. */
    private static List<String> searchVersions(Path helm, String repoName) throws Exception {
        String json = Tools.run(Tools.projectDir(), helm.toString(), "search", "repo", repoName + "/shop", "--versions", "-o", "json")
                .assertOk().stdout();
        JsonNode found = JSON.readTree(json);
        return java.util.stream.StreamSupport.stream(found.spliterator(), false).map(n -> n.get("version").asText()).toList();
    }

    /** The entry {@code helm repo index} writes for this archive (in a copy of the folder), without its creation time. */
    private static Map<Object, Object> helmIndexEntry(Path tmp, Path repo, String name, String version) throws Exception {
        Path copy = Files.createTempDirectory(tmp, "helm-index");
        Files.copy(repo.resolve(name + "-" + version + ".tgz"), copy.resolve(name + "-" + version + ".tgz"));
        Tools.run(tmp, Tools.helm4().toString(), "repo", "index", copy.toString()).assertOk();
        Map<String, Object> index = Castle.yaml(copy.resolve("index.yaml"));
        return withoutCreated((Map<?, ?>) ((List<?>) ((Map<?, ?>) index.get("entries")).get(name)).get(0));
    }

    private static Map<Object, Object> withoutCreated(Map<?, ?> entry) {
        Map<Object, Object> copy = new LinkedHashMap<>(entry);
        copy.remove("created");
        return copy;
    }
}
