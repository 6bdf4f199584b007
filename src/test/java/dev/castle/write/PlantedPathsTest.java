package dev.castle.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import dev.castle.testing.FileTree;

/**
 * castle never deletes nor replaces what it did not write: every kind of file system entry planted
 * at every place where castle's output goes (inside a chart, inside the Kustomize tree, in place of
 * a root, of the kustomize folder, of castle's record folder and its files) makes the write refuse
 * with the path named, forced or not, and leaves everything exactly as it was.
 */
@Tag("integration")
class PlantedPathsTest {

    @TempDir
    static Path tmp;

    /** A way to put something at a path. */
    interface Plant {
        void at(Path path) throws Exception;
    }

    record Kind(String name, boolean folder, Plant plant) {
    }

    static List<Kind> kinds() {
        List<Kind> kinds = new ArrayList<>();
        kinds.add(new Kind("a regular file", false, p -> Files.writeString(p, "my own notes\n")));
        kinds.add(new Kind("a link to a file outside", false, p -> Files.createSymbolicLink(p, outside().resolve("notes.txt"))));
        kinds.add(new Kind("a link to a folder outside", false, p -> Files.createSymbolicLink(p, outside())));
        kinds.add(new Kind("a link to a hand-edited chart", false, p -> {
            Path chart = outside().resolve("chart-" + System.nanoTime());
            Files.createDirectories(chart.resolve("templates"));
            Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: mine\nversion: 9.9.9\n");
            Files.createSymbolicLink(p, chart);
        }));
        kinds.add(new Kind("a dangling link", false, p -> Files.createSymbolicLink(p, Path.of("no-such-target"))));
        kinds.add(new Kind("a FIFO", false, p -> run("mkfifo", p.toString())));
        kinds.add(new Kind("a socket", false, p -> {
            try (ServerSocketChannel socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                socket.bind(UnixDomainSocketAddress.of(p));
            }
        }));
        if (canMakeDevices()) {
            kinds.add(new Kind("a character device", false, p -> run("mknod", p.toString(), "c", "1", "3")));
        }
        kinds.add(new Kind("an empty folder", true, Files::createDirectory));
        kinds.add(new Kind("a folder with a file", true, p -> {
            Files.createDirectory(p);
            Files.writeString(p.resolve("mine.txt"), "mine\n");
        }));
        return kinds;
    }

    /** Places inside the output: planted beside castle's files, or in place of one of castle's folders or files. */
    static final List<String> INSIDE = List.of("demo/planted", "demo/templates/planted", "demo/charts/web/templates/planted",
            "kustomize/demo/planted", "kustomize/demo/overlays/prod/planted");
    static final List<String> IN_PLACE = List.of("demo", "kustomize/demo", "kustomize", ".castle", ".castle/demo.sha256",
            ".castle/lock", ".castle/transaction");

    @TestFactory
    Stream<DynamicTest> everyKindAtEveryPlace() {
        List<DynamicTest> tests = new ArrayList<>();
        int[] number = {0};
        for (Kind kind : kinds()) {
            for (String place : Stream.concat(INSIDE.stream(), IN_PLACE.stream()).toList()) {
                boolean castlesOwnFolderName = kind.folder() && List.of(".castle", ".castle/transaction").contains(place);
                boolean castlesOwnFileName = kind.name().equals("a regular file")
                        && List.of(".castle/lock", ".castle/demo.sha256").contains(place);
                if (castlesOwnFolderName || castlesOwnFileName) {
                    continue;
                }
                for (boolean force : List.of(false, true)) {
                    int n = number[0]++;
                    tests.add(DynamicTest.dynamicTest(kind.name() + " at " + place + (force ? " --force" : ""),
                            () -> check(tmp.resolve("case-" + n), kind, place, force)));
                }
            }
        }
        return tests.stream();
    }

    private static void check(Path out, Kind kind, String place, boolean force) throws Exception {
        Fixture.write(out, Fixture.oldFiles());
        Path planted = out.resolve(place);
        if (IN_PLACE.contains(place)) {
            Fixture.delete(planted);
        }
        kind.plant().at(planted);
        Map<String, String> before = FileTree.snapshot(out);
        List<String> notices = new ArrayList<>();
        OutputWriter writer = Fixture.writer(out, Steps.NONE, notices);

        boolean accepted = kind.name().equals("an empty folder") && List.of("demo", "kustomize/demo", "kustomize").contains(place)
                || kind.name().equals("a folder with a file") && place.equals("kustomize");
        if (accepted) {
            writer.write(Fixture.SYSTEM, Fixture.ROOTS, Fixture.newFiles(), force);
            Map<String, String> after = FileTree.snapshot(out);
            Fixture.newFiles().keySet().forEach(f -> assertTrue(after.containsKey(f), f));
            if (kind.name().equals("a folder with a file")) {
                assertEquals(before.get(place + "/mine.txt"), after.get(place + "/mine.txt"), "a file beside castle's roots is left alone");
            }
            return;
        }
        OutputException refused = assertThrows(OutputException.class,
                () -> writer.write(Fixture.SYSTEM, Fixture.ROOTS, Fixture.newFiles(), force));
        assertTrue(refused.getMessage().contains(planted.toString()), () -> "the message names " + planted + ":\n" + refused.getMessage());
        assertTrue(refused.getMessage().contains("not even with --force"), refused.getMessage());
        FileTree.assertSame(before, FileTree.snapshot(out), "a refused write changed the output folder");
        Changes dryRun = writer.inspect(Fixture.SYSTEM, Fixture.ROOTS, Fixture.newFiles());
        assertTrue(dryRun.refusal(out, force).isPresent(), "a dry run refuses the same");
    }

    private static Path outside() throws IOException {
        return Files.createDirectories(tmp.resolve("outside"));
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + new String(process.getInputStream().readAllBytes()));
        }
    }

    /** mknod needs root (CAP_MKNOD); without it the device kind is left out. */
    private static boolean canMakeDevices() {
        try {
            Path probe = Files.createTempDirectory("castle-mknod").resolve("null");
            run("mknod", probe.toString(), "c", "1", "3");
            Files.delete(probe);
            Files.delete(probe.getParent());
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
