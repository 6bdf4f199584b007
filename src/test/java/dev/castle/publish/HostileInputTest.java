package dev.castle.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Given clumsy or hostile input to package and publish (repository arguments, index.yaml and
 * Chart.yaml files, destinations that cannot be written), castle refuses with exit 2 and a message
 * naming the problem, never a stack trace, and leaves the repository folder as it was.
 */
class HostileInputTest {

    static Path smallChart(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("templates"));
        Files.writeString(dir.resolve("Chart.yaml"), "apiVersion: v2\nname: tiny\nversion: 1.0.0\n"
                + "maintainers:\n  - name: Ops\n    email: ops@example.com\n");
        Files.writeString(dir.resolve("templates/cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: tiny\n");
        return dir;
    }

    @Test
    void repositoryArgumentsThatAreNotARepository(@TempDir Path tmp) throws Exception {
        Path chart = smallChart(tmp.resolve("tiny"));
        Path cwd = Files.createDirectories(tmp.resolve("cwd"));
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("", "the repository is empty");
        cases.put("file:repo", "castle publishes to OCI registries");
        cases.put("file://server/share", "file:///path");
        cases.put("https://charts.example.com", "castle publishes to OCI registries");
        cases.put("oci://127.0.0.1:99999/charts", "port 99999 is not between 1 and 65535");
        cases.put("oci://", "is not a registry host");
        cases.put("oci://registry.example.com/Charts", "\"Charts\" is not a repository name component");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Castle.Result result = Castle.process(cwd, Map.of(), "publish", chart.toString(), c.getKey()).assertRefused();
            assertTrue(result.err().contains(c.getValue()), "\"" + c.getKey() + "\": " + result.err());
        }
        try (Stream<Path> left = Files.list(cwd)) {
            assertEquals(List.of(), left.map(Path::getFileName).map(Path::toString).filter(n -> !n.startsWith(".")).toList(),
                    "nothing was created in the current folder");
        }
    }

    @Test
    void hostileIndexFilesAreRefusedAndLeaveTheFolderAsItWas(@TempDir Path tmp) throws Exception {
        Path chart = smallChart(tmp.resolve("tiny"));
        StringBuilder bomb = new StringBuilder("apiVersion: v1\na: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'z'; c++) {
            char p = (char) (c - 1);
            bomb.append(c).append(": &").append(c).append(" [*").append(p).append(", *").append(p).append(", *").append(p)
                    .append(", *").append(p).append("]\n");
        }
        Map<String, byte[]> cases = new LinkedHashMap<>();
        cases.put("not UTF-8 text", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, (byte) 0xFF, (byte) 0xFE});
        cases.put("not valid YAML: Number of aliases", bomb.toString().getBytes(StandardCharsets.UTF_8));
        cases.put("not valid YAML", "apiVersion: v1\nentries: &e {tiny: [*e]}\nloop: &l [*l]\nx: {<<: *l}\n".getBytes(StandardCharsets.UTF_8));
        cases.put("is not a chart repository index", "- just\n- a list\n".getBytes(StandardCharsets.UTF_8));
        cases.put("entries is not a map", "apiVersion: v1\nentries: [tiny]\n".getBytes(StandardCharsets.UTF_8));
        cases.put("entries.tiny is not a list", "apiVersion: v1\nentries: {tiny: 1.0.0}\n".getBytes(StandardCharsets.UTF_8));
        int n = 0;
        for (Map.Entry<String, byte[]> c : cases.entrySet()) {
            Path repo = Files.createDirectories(tmp.resolve("repo" + n++));
            Files.write(repo.resolve("index.yaml"), c.getValue());
            Castle.Result result = Castle.run("publish", chart.toString(), repo.toString()).assertRefused();
            assertTrue(result.err().contains("index.yaml") && result.err().contains(c.getKey()), c.getKey() + ": " + result.err());
            assertUnchanged(repo, c.getValue());
        }
        Path huge = Files.createDirectories(tmp.resolve("huge"));
        try (RandomAccessFile file = new RandomAccessFile(huge.resolve("index.yaml").toFile(), "rw")) {
            file.setLength(65L * 1024 * 1024);
        }
        assertTrue(Castle.run("publish", chart.toString(), huge.toString()).assertRefused().err().contains("larger than 64 MiB"));
        Path folder = Files.createDirectories(tmp.resolve("index-is-a-folder/index.yaml"));
        assertTrue(Castle.run("publish", chart.toString(), folder.getParent().toString()).assertRefused().err()
                .contains("not a regular file"));
        assertFalse(Files.exists(folder.getParent().resolve("tiny-1.0.0.tgz")), "no archive is left behind");

        // The same chart into a good folder: published, and a retry is refused as a version that exists.
        Path good = tmp.resolve("good");
        Castle.run("publish", chart.toString(), good.toString()).assertOk();
        assertTrue(Files.exists(good.resolve("tiny-1.0.0.tgz")) && Files.exists(good.resolve("index.yaml")));
        assertTrue(Files.readString(good.resolve("artifacthub-repo.yml")).contains("email: ops@example.com"),
                "Artifact Hub's repository metadata, its owners from the maintainers");
        assertTrue(Castle.run("publish", chart.toString(), good.toString()).assertRefused().err().contains("already in"));
    }

    @Test
    void hostileChartYamlIsRefusedByHelmsLoader(@TempDir Path tmp) throws Exception {
        Map<String, byte[]> cases = new LinkedHashMap<>();
        cases.put("binary", new byte[] {0, 1, 2, (byte) 0xFF, (byte) 0xFE, 0x7F, 0});
        StringBuilder bomb = new StringBuilder("apiVersion: v2\nname: tiny\nversion: 1.0.0\na: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'z'; c++) {
            char p = (char) (c - 1);
            bomb.append(c).append(": &").append(c).append(" [*").append(p).append(", *").append(p).append(", *").append(p)
                    .append(", *").append(p).append("]\n");
        }
        cases.put("alias bomb", bomb.toString().getBytes(StandardCharsets.UTF_8));
        cases.put("recursive", "apiVersion: v2\nname: tiny\nversion: 1.0.0\nkeywords: &k [a, *k]\n".getBytes(StandardCharsets.UTF_8));
        cases.put("huge", ("apiVersion: v2\nname: tiny\nversion: 1.0.0\ndescription: " + "x".repeat(6 * 1024 * 1024) + "\n")
                .getBytes(StandardCharsets.UTF_8));
        cases.put("bad version", "apiVersion: v2\nname: tiny\nversion: one\n".getBytes(StandardCharsets.UTF_8));
        for (Map.Entry<String, byte[]> c : cases.entrySet()) {
            Path chart = smallChart(tmp.resolve(c.getKey().replace(' ', '-')));
            Files.write(chart.resolve("Chart.yaml"), c.getValue());
            Path out = tmp.resolve("out-" + c.getKey().replace(' ', '-'));
            Castle.Result result = Castle.run("package", chart.toString(), "-d", out.toString()).assertRefused();
            assertTrue(result.err().contains("cannot package " + chart), c.getKey() + ": " + result.err());
            assertFalse(Files.exists(out), c.getKey() + ": nothing written");
            if (!c.getKey().equals("bad version")) {
                Castle.run("publish", chart.toString(), out.toString(), "--version", "2.0.0").assertRefused();
                assertFalse(Files.exists(out), c.getKey() + ": nothing published");
            }
        }
        // A 3 GB file in the chart: Helm's loader refuses files over 5 MiB before reading them.
        Path big = smallChart(tmp.resolve("big"));
        try (RandomAccessFile file = new RandomAccessFile(big.resolve("templates/big.yaml").toFile(), "rw")) {
            file.setLength(3L * 1024 * 1024 * 1024);
        }
        assertTrue(Castle.run("package", big.toString(), "-d", tmp.resolve("out-big").toString()).assertRefused().err()
                .contains("larger than the maximum file size"));
        Files.delete(big.resolve("templates/big.yaml"));
    }

    @Test
    void unwritableDestinationsAreTheUsersProblem(@TempDir Path tmp) throws Exception {
        Path chart = smallChart(tmp.resolve("tiny"));
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        Castle.Result belowFile = Castle.run("package", chart.toString(), "-d", file.resolve("dist").toString()).assertRefused();
        assertTrue(belowFile.err().contains("cannot write to " + file.resolve("dist")), belowFile.err());
        assertTrue(Castle.run("package", chart.toString(), "-d", file.toString()).assertRefused().err().contains("is not a folder"));
        Castle.Result proc = Castle.run("package", chart.toString(), "-d", "/proc/castle-dist").assertRefused();
        assertTrue(proc.err().contains("/proc/castle-dist"), proc.err());
        Castle.Result repoBelowFile = Castle.run("publish", chart.toString(), file.resolve("repo").toString()).assertRefused();
        assertTrue(repoBelowFile.err().contains("cannot create the repository folder"), repoBelowFile.err());
        Castle.Result repoInProc = Castle.run("publish", chart.toString(), "/proc/castle-repo").assertRefused();
        assertTrue(repoInProc.err().contains("/proc/castle-repo"), repoInProc.err());
        Castle.Result missing = Castle.run("publish", tmp.resolve("no-such-chart").toString(), tmp.resolve("r").toString()).assertRefused();
        assertTrue(missing.err().contains("neither a chart folder nor a chart archive"), missing.err());
        Castle.Result notAnArchive = Castle.run("publish", file.toString(), tmp.resolve("r").toString()).assertRefused();
        assertTrue(notAnArchive.err().contains("Helm cannot load " + file), notAnArchive.err());
    }

    private static void assertUnchanged(Path repo, byte[] index) throws Exception {
        assertEquals(new String(index, StandardCharsets.ISO_8859_1), new String(Files.readAllBytes(repo.resolve("index.yaml")),
                StandardCharsets.ISO_8859_1), "index.yaml unchanged");
        try (Stream<Path> files = Files.list(repo)) {
            assertEquals(List.of("index.yaml"), files.map(p -> p.getFileName().toString()).filter(f -> !f.startsWith(".castle"))
                    .toList(), "no archive, no temporary file");
        }
    }
}
