package dev.castle.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.castle.testing.FileTree;

/**
 * {@code castle generate} as a clumsy or hostile user meets it: output where castle's goes that
 * castle did not write, the descriptor inside the output, a system name that would nest outputs,
 * descriptors that are not files, and destinations that cannot be written. Each is refused with
 * exit 2 and a message naming the path, never "a bug in castle", and nothing is lost.
 */
class OutputSafetyTest {

    @TempDir
    Path tmp;

    private Path descriptor(String name) throws IOException {
        Path file = tmp.resolve(name + ".yaml");
        if (Files.exists(file)) {
            return file;
        }
        Files.copy(CastleRun.projectDir().resolve("src/test/resources/descriptors/write/" + name + ".yaml"), file);
        return file;
    }

    private static CastleRun.Result generate(Path descriptor, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("generate", descriptor.toString(), "-o", out.toString(), "--no-kustomize"));
        args.addAll(List.of(extra));
        return CastleRun.run(args.toArray(String[]::new));
    }

    private static void assertRefused(CastleRun.Result result, String... mentions) {
        assertEquals(2, result.status(), result::toString);
        for (String mention : mentions) {
            assertTrue(result.err().contains(mention), () -> "the message names " + mention + "\n" + result);
        }
        assertFalse(result.err().contains("bug in castle"), result::toString);
        CastleRun.assertNoStackTrace(result);
    }

    @Test
    void aFileWhereTheChartGoesIsKept() throws IOException {
        Path out = tmp.resolve("out");
        Files.createDirectories(out);
        Path file = Files.writeString(out.resolve("orders"), "my notes, not a chart\n");
        for (String[] extra : List.of(new String[] {"--dry-run"}, new String[] {}, new String[] {"--force"})) {
            assertRefused(generate(descriptor("old"), out, extra), file.toString(), "a file");
        }
        assertEquals("my notes, not a chart\n", Files.readString(file));
        Files.createDirectories(out.resolve("kustomize"));
        Files.delete(file);
        Path kustomizeFile = Files.writeString(out.resolve("kustomize/orders"), "mine\n");
        assertRefused(CastleRun.run("generate", descriptor("new").toString(), "-o", out.toString(), "--force"),
                kustomizeFile.toString());
        assertEquals("mine\n", Files.readString(kustomizeFile));
        assertFalse(Files.exists(out.resolve("orders")), "nothing was written");
    }

    @Test
    void aLinkToAHandEditedChartIsNeverSwappedOut() throws IOException {
        Path out = tmp.resolve("out");
        Path next = descriptor("new");
        assertEquals(0, generate(descriptor("old"), out).status());
        Path mine = tmp.resolve("my-chart");
        Files.move(out.resolve("orders"), mine);
        Files.writeString(mine.resolve("values.yaml"), "# edited by hand\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        Files.createSymbolicLink(out.resolve("orders"), mine);
        Map<String, String> before = FileTree.snapshot(tmp);
        assertRefused(generate(next, out, "--force"), out.resolve("orders").toString(), "a symbolic link");
        FileTree.assertSame(before, FileTree.snapshot(tmp), "the link and the chart it points to are as they were");
    }

    @Test
    void theDescriptorAndItsConfigFilesInsideTheOutputAreNeverDeleted() throws IOException {
        Path out = tmp.resolve("out");
        assertEquals(0, generate(descriptor("old"), out).status());
        Path inside = out.resolve("orders/castle.yaml");
        Files.copy(descriptor("new"), inside);
        Map<String, String> before = FileTree.snapshot(out);
        assertRefused(generate(inside, out, "--force"), inside.toString(), "replaces");
        FileTree.assertSame(before, FileTree.snapshot(out), "the output changed");

        Path config = Files.createDirectories(out.resolve("orders/files")).resolve("app.conf");
        Files.writeString(config, "level = debug\n");
        Path withConfig = tmp.resolve("with-config.yaml");
        Files.writeString(withConfig, Files.readString(descriptor("new")).replace("    ports: {http: 9090}",
                "    ports: {http: 9090}\n    config:\n      files: {app.conf: out/orders/files/app.conf}"));
        CastleRun.Result forced = generate(withConfig, out, "--force");
        assertRefused(forced, config.getParent() + " (a folder castle did not write)");
        assertEquals("level = debug\n", Files.readString(config));
    }

    @Test
    void aSystemNamedKustomizeIsRefusedWithItsPlace() throws IOException {
        Path file = tmp.resolve("kustomize.yaml");
        Files.writeString(file, Files.readString(descriptor("old")).replace("name: orders", "name: kustomize"));
        for (String command : List.of("validate", "generate")) {
            CastleRun.Result result = command.equals("validate") ? CastleRun.run(command, file.toString())
                    : CastleRun.run(command, file.toString(), "-o", tmp.resolve("out").toString());
            assertRefused(result, file + ":5:", "/metadata/name", "reserved");
        }
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    @Test
    void descriptorsThatAreNotRegularFilesAreRefusedAtOnce() throws Exception {
        Path fifo = tmp.resolve("fifo.yaml");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0);
        Path huge = tmp.resolve("huge.yaml");
        try (RandomAccessFile file = new RandomAccessFile(huge.toFile(), "rw")) {
            file.setLength(3L * 1024 * 1024 * 1024);
        }
        Path folder = Files.createDirectories(tmp.resolve("folder.yaml"));
        Map<Path, String> cases = Map.of(Path.of("/dev/zero"), "not a regular file", fifo, "not a regular file",
                huge, "3221225472 bytes", folder, "a folder");
        cases.forEach((path, problem) -> {
            for (String command : List.of("validate", "generate")) {
                CastleRun.Result result = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> command.equals("validate")
                        ? CastleRun.run(command, path.toString())
                        : CastleRun.run(command, path.toString(), "-o", tmp.resolve("out").toString()));
                assertRefused(result, path + ":1:1:", problem);
            }
        });
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    @Test
    void unwritableDestinationsExitTwoWithTheReason() throws IOException {
        Path file = Files.writeString(tmp.resolve("a-file"), "x\n");
        assertRefused(generate(descriptor("old"), file.resolve("out")), file.resolve("out").toString(), "Not a directory");
        assertRefused(generate(descriptor("old"), Path.of("/proc/castle-out")), "/proc/castle-out");
        assertRefused(generate(descriptor("old"), Path.of("/proc/self/status/out")), "/proc/self/status/out");
        assertRefused(generate(descriptor("old"), Path.of("/sys/castle-out")), "/sys/castle-out");
        assertEquals("x\n", Files.readString(file));
        if (!"root".equals(System.getProperty("user.name"))) {
            Path readOnly = Files.createDirectories(tmp.resolve("read-only"));
            readOnly.toFile().setWritable(false, false);
            try {
                assertRefused(generate(descriptor("old"), readOnly.resolve("out")), readOnly.resolve("out").toString());
            } finally {
                readOnly.toFile().setWritable(true, false);
            }
        }
        // as root a folder's mode does not stop a write: FullDiskTest writes to a read-only file system
    }
}
