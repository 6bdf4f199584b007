package dev.castle.publish;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.castle.testing.KubeSchemaValidator;
import dev.castle.testing.Tools;

/**
 * Given a generated chart, when castle packages it, then the archive holds the files and the
 * Chart.yaml that real {@code helm package} (3.17 and 4.1) writes, byte for byte, its bytes do not
 * depend on when or where it was made, and Helm renders it.
 */
@Tag("integration")
class PackageTest {

    @Test
    void shopArchiveIsReproducibleAndHoldsWhatHelmPackageWrites(@TempDir Path tmp) throws Exception {
        Path chart = Castle.generateShop(tmp.resolve("out"));
        Path first = Files.createDirectories(tmp.resolve("first"));
        Path second = Files.createDirectories(tmp.resolve("second"));
        Castle.Result packaged = Castle.run("package", chart.toString(), "-d", first.toString()).assertOk();
        assertTrue(packaged.out().contains("shop-0.1.0.tgz"), packaged.out());

        // Touch every file (other modification times), then package again elsewhere: same bytes.
        try (Stream<Path> files = Files.walk(chart)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.setLastModifiedTime(f, FileTime.from(Instant.parse("2031-02-03T04:05:06Z")));
            }
        }
        Castle.run("package", chart.toString(), "-d", second.toString()).assertOk();
        Path archive = first.resolve("shop-0.1.0.tgz");
        assertEquals(Castle.sha256(archive), Castle.sha256(second.resolve("shop-0.1.0.tgz")), "the same chart gives the same digest");
        assertTrue(packaged.out().contains("sha256:" + Castle.sha256(archive)), "the digest is reported: " + packaged.out());

        byte[] bytes = Files.readAllBytes(archive);
        assertArrayEquals(new byte[] {0, 0, 0, 0}, java.util.Arrays.copyOfRange(bytes, 4, 8), "no time in the gzip header");
        String listing = Tools.run(tmp, "tar", "--numeric-owner", "-tvzf", archive.toString()).assertOk().stdout();
        for (String line : listing.lines().toList()) {
            assertTrue(line.startsWith("-rw-r--r-- 0/0"), "regular file, mode 0644, owner 0:0: " + line);
            assertTrue(line.contains("1970-01-01"), "the fixed time stamp: " + line);
        }
        List<String> names = Castle.entryNames(archive);
        assertEquals(names.stream().sorted().toList(), listing.lines().map(l -> l.substring(l.lastIndexOf(' ') + 1)).toList(),
                "entries in sorted order");
        assertTrue(names.contains("shop/charts/cart/Chart.yaml"), "subcharts are folders inside charts/, as helm package writes them");
        assertTrue(names.stream().noneMatch(n -> n.endsWith(".tgz")), names.toString());

        for (Path helm : List.of(Tools.helm3(), Tools.helm4())) {
            Path helmOut = Files.createDirectories(tmp.resolve("helm-" + helm.getParent().getFileName()));
            Tools.run(tmp, helm.toString(), "package", chart.toString(), "-d", helmOut.toString()).assertOk();
            assertSameContent(Castle.entries(helmOut.resolve("shop-0.1.0.tgz")), Castle.entries(archive), helm);

            Tools.run(tmp, helm.toString(), "lint", "--strict", archive.toString()).assertOk();
            String rendered = Tools.run(tmp, helm.toString(), "template", "shop", archive.toString()).assertOk().stdout();
            KubeSchemaValidator.shared().assertValid(rendered);
        }
    }

    @Test
    void helmignoreAndChartYamlFollowHelm(@TempDir Path tmp) throws Exception {
        Path chart = tmp.resolve("tricky");
        Files.createDirectories(chart.resolve("templates"));
        Files.createDirectories(chart.resolve("docs"));
        Files.createDirectories(chart.resolve("charts/sub/templates"));
        Files.writeString(chart.resolve("Chart.yaml"), String.join("\n",
                "apiVersion: v2",
                "name: tricky",
                "version: 1.2.3-rc.1+build.5",
                "appVersion: 1.10",
                "description: |",
                "  A chart: with # signs, 'quotes', \"double quotes\", ünïcödé, and a line that is long enough to be",
                "  folded by Helm's YAML writer after eighty columns, plus  two spaces.",
                "type: application",
                "home: https://example.com/tricky",
                "icon: https://example.com/icon.svg",
                "keywords: [yes, on, 1e3, 0x1F, '007', null, '', '- dash', 'a: b', '#hash', y]",
                "sources: [https://github.com/acme/tricky]",
                "maintainers:",
                "  - {name: Ada, email: ada@example.com}",
                "  - {name: 'Team: Ops', url: 'https://example.com/ops'}",
                "deprecated: false",
                "kubeVersion: '>=1.30.0-0'",
                "annotations:",
                "  artifacthub.io/links: |",
                "    - name: Docs",
                "      url: https://example.com/docs",
                "  artifacthub.io/containsSecurityUpdates: \"true\"",
                "  a10: x",
                "  a2: y",
                "  B: upper",
                "  trailing: 'text with a trailing space '",
                "  tab: \"a\\tb\"",
                "  emoji: \"rocket \\U0001F680\"",
                "dependencies:",
                "  - name: sub",
                "    version: 0.1.0",
                "    repository: file://charts/sub",
                "    condition: sub.enabled",
                "    tags: [backend, 'yes']",
                "    import-values:",
                "      - child: data",
                "        parent: fromSub",
                "      - exported",
                ""));
        Files.writeString(chart.resolve("values.yaml"), "sub:\n  enabled: true\nfromSub: {}\n");
        Files.writeString(chart.resolve("templates/configmap.yaml"),
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-tricky\ndata:\n  a: b\n");
        Files.writeString(chart.resolve("templates/.hidden"), "ignored by Helm's default rule\n");
        Files.writeString(chart.resolve("templates/NOTES.txt"), "\uFEFFnotes with a byte order mark\n");
        Files.writeString(chart.resolve("notes.bak"), "ignored by *.bak\n");
        Files.writeString(chart.resolve("docs/guide.md"), "ignored by docs/\n");
        Files.writeString(chart.resolve("LICENSE"), "kept\n");
        Files.writeString(chart.resolve(".helmignore"), "# comment\n*.bak\ndocs/\n/LICENSE.txt\n");
        Files.writeString(chart.resolve("charts/sub/Chart.yaml"), "apiVersion: v2\nname: sub\nversion: 0.1.0\n");
        Files.writeString(chart.resolve("charts/sub/values.yaml"), "data: {}\nexported: {}\n");
        Files.writeString(chart.resolve("charts/sub/.helmignore"), "*.orig\n");
        Files.writeString(chart.resolve("charts/sub/kept.orig"), "a subchart's own .helmignore does not count when packaging the parent\n");
        Files.writeString(chart.resolve("charts/sub/old.bak"), "the parent's .helmignore counts\n");
        Files.writeString(chart.resolve("charts/sub/templates/.hidden"), "the default rule is for the parent's templates only\n");

        Path out = Files.createDirectories(tmp.resolve("castle"));
        Castle.run("package", chart.toString(), "-d", out.toString()).assertOk();
        Path archive = out.resolve("tricky-1.2.3-rc.1+build.5.tgz");
        Map<String, byte[]> castle = Castle.entries(archive);
        assertFalse(castle.containsKey("tricky/notes.bak"));
        assertFalse(castle.containsKey("tricky/docs/guide.md"));
        assertFalse(castle.containsKey("tricky/templates/.hidden"));
        assertTrue(castle.containsKey("tricky/LICENSE"));
        assertTrue(castle.containsKey("tricky/charts/sub/kept.orig"));
        assertFalse(castle.containsKey("tricky/charts/sub/old.bak"));
        assertTrue(castle.containsKey("tricky/charts/sub/templates/.hidden"));
        assertEquals("notes with a byte order mark\n", new String(castle.get("tricky/templates/NOTES.txt"), StandardCharsets.UTF_8));

        for (Path helm : List.of(Tools.helm3(), Tools.helm4())) {
            Path helmOut = Files.createDirectories(tmp.resolve("helm-" + helm.getParent().getFileName()));
            Tools.run(tmp, helm.toString(), "package", chart.toString(), "-d", helmOut.toString()).assertOk();
            assertSameContent(Castle.entries(helmOut.resolve(archive.getFileName())), castle, helm);
        }
    }

    @Test
    void dependenciesAreHelmsBusinessAsInHelmPackage(@TempDir Path tmp) throws Exception {
        // A chart repository with a "database" chart, served over HTTP.
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        Path database = tmp.resolve("database");
        Files.createDirectories(database.resolve("templates"));
        Files.writeString(database.resolve("Chart.yaml"), "apiVersion: v2\nname: database\nversion: 2.3.4\nappVersion: \"16\"\n");
        Files.writeString(database.resolve("values.yaml"), "port: 5432\n");
        Path helm3 = Tools.helm3();
        Tools.run(tmp, helm3.toString(), "package", database.toString(), "-d", repo.toString()).assertOk();
        Tools.run(tmp, helm3.toString(), "repo", "index", repo.toString()).assertOk();

        try (StaticServer server = StaticServer.serve(repo)) {
            Path app = tmp.resolve("app");
            Files.createDirectories(app.resolve("templates"));
            Files.createDirectories(app.resolve("charts/web"));
            Files.writeString(app.resolve("Chart.yaml"), String.join("\n",
                    "apiVersion: v2", "name: app", "version: 0.1.0", "dependencies:",
                    "  - name: web", "    version: 0.1.0", "    repository: file://charts/web",
                    "  - name: database", "    version: 2.3.4", "    repository: " + server.url(), "    alias: db",
                    "    condition: db.enabled", ""));
            Files.writeString(app.resolve("charts/web/Chart.yaml"), "apiVersion: v2\nname: web\nversion: 0.1.0\n");

            Castle.Result missing = Castle.run("package", app.toString(), "-d", tmp.toString()).assertRefused();
            assertTrue(missing.err().contains("database") && missing.err().contains("missing in charts/"), missing.err());
            assertFalse(Files.exists(tmp.resolve("app-0.1.0.tgz")), "nothing written");

            // helm dependency build writes Chart.lock and downloads the archive (and packs the file://
            // dependency next to its folder); castle then packages what helm package packages.
            Path built = tmp.resolve("built/app");
            Castle.copyTree(app, built);
            Tools.run(tmp, helm3.toString(), "dependency", "build", built.toString()).assertOk();
            Path out = Files.createDirectories(tmp.resolve("castle-out"));
            Castle.run("package", built.toString(), "-d", out.toString()).assertOk();
            Map<String, byte[]> castle = Castle.entries(out.resolve("app-0.1.0.tgz"));
            for (Path helm : List.of(helm3, Tools.helm4())) {
                Path helmOut = Files.createDirectories(tmp.resolve("helm-" + helm.getParent().getFileName()));
                Tools.run(tmp, helm.toString(), "package", built.toString(), "-d", helmOut.toString()).assertOk();
                assertSameContent(Castle.entries(helmOut.resolve("app-0.1.0.tgz")), castle, helm);
            }
            assertTrue(castle.containsKey("app/Chart.lock") && castle.containsKey("app/charts/database/Chart.yaml"),
                    "the lock and the downloaded chart, unpacked as Helm does: " + castle.keySet());
            Tools.run(tmp, helm3.toString(), "template", "app", out.resolve("app-0.1.0.tgz").toString()).assertOk();
        }
    }

    @Test
    void defaultChartIsTheOneUnderChartsOut(@TempDir Path tmp) throws Exception {
        Path project = Files.createDirectories(tmp.resolve("project"));
        Castle.Result none = Castle.process(project, Map.of(), "package").assertRefused();
        assertTrue(none.err().contains("charts-out"), none.err());

        Castle.generateShop(project.resolve("charts-out"));
        Castle.Result one = Castle.process(project, Map.of("SOURCE_DATE_EPOCH", "1767225600"), "package").assertOk();
        assertTrue(one.out().contains("packaged charts-out/shop as ./shop-0.1.0.tgz"), one.out());
        String listing = Tools.run(project, "tar", "-tvzf", "shop-0.1.0.tgz", "--utc").assertOk().stdout();
        assertTrue(listing.lines().allMatch(l -> l.contains("2026-01-01 00:00")), "SOURCE_DATE_EPOCH is the time stamp:\n" + listing);

        Castle.run("generate", Tools.projectDir().resolve("examples/shop/castle.yaml").toString(), "-o",
                project.resolve("charts-out").toString()).assertOk();
        Castle.copyTree(project.resolve("charts-out/shop"), project.resolve("charts-out/other"));
        Castle.Result two = Castle.process(project, Map.of(), "package").assertRefused();
        assertTrue(two.err().contains("charts-out/other") && two.err().contains("charts-out/shop"), two.err());

        Castle.Result badEpoch = Castle.process(project, Map.of("SOURCE_DATE_EPOCH", "yesterday"), "package",
                "charts-out/shop").assertRefused();
        assertTrue(badEpoch.err().contains("SOURCE_DATE_EPOCH"), badEpoch.err());
    }

    @Test
    void helpOfBothCommands() {
        Castle.Result packageHelp = Castle.run("package", "--help").assertOk();
        assertTrue(packageHelp.out().contains("--destination") && packageHelp.out().contains("SOURCE_DATE_EPOCH"), packageHelp.out());
        Castle.Result publishHelp = Castle.run("publish", "-h").assertOk();
        assertTrue(publishHelp.out().contains("--plain-http") && publishHelp.out().contains("CASTLE_REGISTRY_USERNAME"),
                publishHelp.out());
        Castle.Result missing = Castle.run("publish", "chart-only").assertRefused();
        assertTrue(missing.err().contains("REPOSITORY"), missing.err());
    }

    /** Same file names and, file by file, the same bytes. */
    static void assertSameContent(Map<String, byte[]> helm, Map<String, byte[]> castle, Path which) {
        assertEquals(new TreeSet<>(helm.keySet()), new TreeSet<>(castle.keySet()), "the files of " + which + " package");
        List<String> different = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : helm.entrySet()) {
            if (!java.util.Arrays.equals(e.getValue(), castle.get(e.getKey()))) {
                different.add(e.getKey() + ":\n--- helm ---\n" + new String(e.getValue(), StandardCharsets.UTF_8)
                        + "--- castle ---\n" + new String(castle.get(e.getKey()), StandardCharsets.UTF_8));
            }
        }
        assertTrue(different.isEmpty(), "files that differ from " + which + " package:\n" + String.join("\n", different));
    }
}
