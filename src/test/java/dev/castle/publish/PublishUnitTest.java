package dev.castle.publish;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parts of publishing that need no Helm and no network: arguments, the normalising pass, folder writes, YAML bounds. */
class PublishUnitTest {

    @Test
    void helmMessagesAreReadForWhatTheySayNotForDigitsOfAPort() {
        // A registry on port 34401 answering "not found": the chart is absent, and nothing asks to log in (it did, by the port).
        PublishException absent = assertThrows(PublishException.class, () -> HelmCall.run("cannot look for x", () -> {
            throw new IllegalStateException("failed to perform \"FetchReference\" on source: 127.0.0.1:34401/secure/tiny:1.0.0: not found");
        }));
        assertTrue(HelmCall.notFound(absent), absent.getMessage());
        assertFalse(absent.getMessage().contains("log in"), absent.getMessage());
        PublishException unauthorized = assertThrows(PublishException.class, () -> HelmCall.run("cannot push", () -> {
            throw new IllegalStateException("unexpected status from HEAD request to https://127.0.0.1:5000/v2/x: 401 Unauthorized");
        }));
        assertFalse(HelmCall.notFound(unauthorized));
        assertTrue(unauthorized.getMessage().contains("log in"), unauthorized.getMessage());
    }

    @Test
    void ociReferencesAreCheckedBeforeAnythingIsSent() throws Exception {
        OciRegistry.Target target = OciRegistry.Target.parse("oci://registry.example.com:5000/team/charts/");
        assertEquals(new OciRegistry.Target("registry.example.com:5000", "team/charts"), target);
        assertEquals("oci://registry.example.com:5000/team/charts/shop", target.url("shop"));
        assertEquals("oci://[::1]:5000/shop", OciRegistry.Target.parse("oci://[::1]:5000").url("shop"));
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("oci://host:99999/x", "port 99999");
        refused.put("oci://host:0/x", "port 0");
        refused.put("oci://", "is not a registry host");
        refused.put("oci:///charts", "is not a registry host");
        refused.put("oci://ho st/x", "is not a registry host");
        refused.put("oci://host/Upper", "\"Upper\"");
        refused.put("oci://host/charts:1.0", "without a tag");
        refused.put("oci://host/a//b", "\"\"");
        refused.forEach((text, message) -> {
            PublishException e = assertThrows(PublishException.class, () -> OciRegistry.Target.parse(text), text);
            assertTrue(e.getMessage().contains(message), text + ": " + e.getMessage());
        });
    }

    @Test
    void repositoryFoldersArePathsOrFileUrlsOnly() throws Exception {
        assertEquals(Path.of("/srv/charts"), RepositoryFolder.folder("file:///srv/charts"));
        assertEquals(Path.of("repo"), RepositoryFolder.folder("repo"));
        assertEquals(Path.of("./with:colon"), RepositoryFolder.folder("./with:colon"));
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("", "empty");
        refused.put("  ", "empty");
        refused.put("file:repo", "castle publishes to");
        refused.put("file://host/srv", "file:///path");
        refused.put("file://", "file:///path");
        refused.put("https://charts.example.com", "castle publishes to");
        refused.put("s3://bucket/charts", "castle publishes to");
        refused.forEach((text, message) -> {
            PublishException e = assertThrows(PublishException.class, () -> RepositoryFolder.folder(text), "\"" + text + "\"");
            assertTrue(e.getMessage().contains(message), text + ": " + e.getMessage());
        });
    }

    @Test
    void helmsArchiveBecomesReproducible() throws Exception {
        byte[] first = tgz(Map.of("shop/values.yaml", "a: 1\n", "shop/Chart.yaml", "name: shop\n"), 1_700_000_000L, 0755);
        byte[] second = tgz(Map.of("shop/Chart.yaml", "name: shop\n", "shop/values.yaml", "a: 1\n"), 1_800_000_000L, 0600);
        byte[] a = ChartArchive.reproducible(first, 0);
        assertArrayEquals(a, ChartArchive.reproducible(second, 0), "the same files give the same bytes, whatever their times and order");
        List<ChartArchive.Entry> entries = ChartArchive.read(a, "a");
        assertEquals(List.of("shop/Chart.yaml", "shop/values.yaml"), entries.stream().map(ChartArchive.Entry::name).toList());
        assertEquals("name: shop\n", new String(entries.get(0).data(), StandardCharsets.UTF_8));
        assertFalse(java.util.Arrays.equals(a, ChartArchive.reproducible(first, 1_767_225_600L)), "the time stamp is in the bytes");
        assertArrayEquals(new byte[] {0, 0, 0, 0}, java.util.Arrays.copyOfRange(a, 4, 8), "no time in the gzip header");

        String longName = "shop/" + "deep/".repeat(40) + "ünïcödé.yaml";
        byte[] long1 = ChartArchive.reproducible(tgz(Map.of(longName, "x: 1\n"), 5, 0644), 0);
        assertEquals(longName, ChartArchive.read(long1, "long").get(0).name(), "long and non-ASCII names survive (PAX)");
    }

    @Test
    void archivesWithLinksOrGarbageAreRefused() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            TarArchiveEntry link = new TarArchiveEntry("shop/templates/x.yaml", TarArchiveEntry.LF_SYMLINK);
            link.setLinkName("/etc/passwd");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
        }
        PublishException e = assertThrows(PublishException.class, () -> ChartArchive.read(bytes.toByteArray(), "links.tgz"));
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
        e = assertThrows(PublishException.class, () -> ChartArchive.read("not gzip".getBytes(StandardCharsets.UTF_8), "x.tgz"));
        assertTrue(e.getMessage().contains("x.tgz is not a gzip-compressed tar archive"), e.getMessage());
    }

    @Test
    void folderWritesAllOrNothing(@TempDir Path tmp) throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("repo"));
        Files.writeString(folder.resolve("a.tgz"), "old a");
        Files.writeString(folder.resolve("index.yaml"), "old index");
        Files.createDirectories(folder.resolve("b.prov/inside")); // a folder where a file must go: the move fails
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("a.tgz", "new a".getBytes(StandardCharsets.UTF_8));
        files.put("new.tgz", "new".getBytes(StandardCharsets.UTF_8));
        files.put("b.prov", "b".getBytes(StandardCharsets.UTF_8));
        files.put("index.yaml", "new index".getBytes(StandardCharsets.UTF_8));
        PublishException e = assertThrows(PublishException.class, () -> FolderWrite.write(folder, files));
        assertTrue(e.getMessage().contains("nothing was changed") && e.getMessage().contains("b.prov"), e.getMessage());
        assertEquals("old a", Files.readString(folder.resolve("a.tgz")), "the replaced file is put back");
        assertEquals("old index", Files.readString(folder.resolve("index.yaml")));
        assertFalse(Files.exists(folder.resolve("new.tgz")), "the new file is taken out again");
        try (var left = Files.list(folder)) {
            assertEquals(List.of("a.tgz", "b.prov", "index.yaml"), left.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temporary file is left");
        }

        Files.delete(folder.resolve("b.prov/inside"));
        Files.delete(folder.resolve("b.prov"));
        FolderWrite.write(folder, files);
        assertEquals("new a", Files.readString(folder.resolve("a.tgz")));
        assertEquals("new index", Files.readString(folder.resolve("index.yaml")));

        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        e = assertThrows(PublishException.class, () -> FolderWrite.write(file.resolve("below"), files));
        assertTrue(e.getMessage().contains("cannot write to " + file.resolve("below")), e.getMessage());
    }

    @Test
    void yamlFromAnyoneIsBounded(@TempDir Path tmp) throws Exception {
        Map<String, String> hostile = new LinkedHashMap<>();
        StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'z'; c++) {
            bomb.append(c).append(": &").append(c).append(" [*").append((char) (c - 1)).append(", *").append((char) (c - 1))
                    .append(", *").append((char) (c - 1)).append("]\n");
        }
        hostile.put(bomb.toString(), "not valid YAML");
        hostile.put("a: &a [*a]\nb: *a\n".repeat(1) + "c: {<<: *a}\n", "not valid YAML");
        hostile.put("a: 1\na: 2\n", "not valid YAML");
        hostile.put("[".repeat(200), "not valid YAML");
        for (Map.Entry<String, String> h : hostile.entrySet()) {
            PublishException e = assertThrows(PublishException.class, () -> YamlText.load(h.getKey(), "index.yaml"));
            assertTrue(e.getMessage().startsWith("index.yaml " + h.getValue().replace("not valid YAML", "")) , e.getMessage());
        }
        Path binary = Files.write(tmp.resolve("binary.yaml"), new byte[] {(byte) 0xC3, 0x28, 0, 1, 2});
        assertTrue(assertThrows(PublishException.class, () -> YamlText.read(binary)).getMessage().contains("not UTF-8"));
        Path huge = tmp.resolve("huge.yaml");
        try (var file = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            file.setLength(YamlText.MAX_BYTES + 1L);
        }
        assertTrue(assertThrows(PublishException.class, () -> YamlText.read(huge)).getMessage().contains("larger than 64 MiB"));
        assertTrue(assertThrows(PublishException.class, () -> YamlText.read(Path.of("/dev/zero"))).getMessage()
                .contains("not a regular file"));
        assertEquals(Map.of("created", "2026-01-01T00:00:00.123Z", "appVersion", "1.10", "n", "007", "ok", true),
                YamlText.load("created: 2026-01-01T00:00:00.123Z\nappVersion: 1.10\nn: 007\nok: true\n", "x"),
                "times and numbers stay the text written");
    }

    private static byte[] tgz(Map<String, String> files, long mtime, int mode) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes), "UTF-8")) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, String> f : files.entrySet()) {
                byte[] data = f.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry e = new TarArchiveEntry(f.getKey());
                e.setSize(data.length);
                e.setModTime(mtime * 1000);
                e.setMode(mode);
                e.setIds(1000, 1000);
                e.setNames("someone", "staff");
                tar.putArchiveEntry(e);
                tar.write(data);
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }
}
