package dev.castle.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.castle.testing.FileTree;

/**
 * The output of a run becomes visible whole or not at all: a run stopped dead at any step (as by
 * kill -9) or failing at any step (as on a full disk) leaves the old output complete and
 * recognised as castle's, and the next run cleans up after it; concurrent runs never mix.
 */
class TransactionTest {

    @TempDir
    Path tmp;

    /** Stops a run dead: an Error skips every clean-up castle does for failures, as kill -9 would. */
    static final class Killed extends Error {
        private static final long serialVersionUID = 1L;

        Killed(String step) {
            super("killed at " + step);
        }
    }

    @Test
    void writesTheRootsAndTheRecordAndNothingElse() {
        Path out = tmp.resolve("out");
        Changes first = Fixture.write(out, Fixture.oldFiles());
        assertEquals(Fixture.oldFiles().size(), first.added().size());
        Map<String, String> tree = FileTree.snapshot(out);
        assertEquals(List.of(".castle/demo.sha256", ".castle/lock"), tree.keySet().stream().filter(p -> p.startsWith(".castle/")).toList(),
                "only the record and the lock file are left in .castle: no staging");
        assertEquals("file " + dev.castle.write.Checksums.sha256(new byte[0]), tree.get(".castle/lock"), "the lock file is empty");

        Changes again = Fixture.write(out, Fixture.oldFiles());
        assertTrue(again.isEmpty(), again.toString());
        assertEquals(tree, FileTree.snapshot(out));

        Changes next = Fixture.write(out, Fixture.newFiles());
        assertEquals(List.of("demo/charts/web/templates/gone.yaml"), next.removed());
        assertTrue(next.added().contains("kustomize/demo/overlays/dev/kustomization.yaml"), next.toString());
        assertEquals(Fixture.expected(tmp, Fixture.newFiles()), FileTree.snapshot(out));
    }

    @Test
    void aRegenerateKeepsTheFilesThatDidNotChangeAndWritesTheOthersAnew() throws Exception {
        Path out = tmp.resolve("out");
        Fixture.write(out, Fixture.oldFiles());
        Object unchanged = inode(out.resolve("demo/values.yaml"));
        Object changed = inode(out.resolve("demo/Chart.yaml"));
        Fixture.write(out, Fixture.newFiles());
        assertEquals(Fixture.expected(tmp, Fixture.newFiles()), FileTree.snapshot(out));
        assertEquals(unchanged, inode(out.resolve("demo/values.yaml")), "an unchanged file is the same file (linked, not written)");
        assertEquals(1, Files.getAttribute(out.resolve("demo/values.yaml"), "unix:nlink", LinkOption.NOFOLLOW_LINKS),
                "the old tree's link is gone");
        assertFalse(changed.equals(inode(out.resolve("demo/Chart.yaml"))), "a changed file is written anew, never in place");
    }

    private static Object inode(Path file) throws IOException {
        return Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    }

    @Test
    void aRunKilledAtAnyStepLeavesTheOldOutputOrIsCompletedByTheNextRun() throws Exception {
        Map<String, String> oldTree = Fixture.expected(tmp, Fixture.oldFiles());
        Map<String, String> newTree = Fixture.expected(tmp, Fixture.newFiles());
        List<String> steps = Fixture.steps(tmp, Fixture.oldFiles(), Fixture.newFiles());
        assertTrue(steps.size() > 15, steps.toString());
        int committed = 0;
        for (int k = 0; k < steps.size(); k++) {
            for (boolean nextRunWritesNew : List.of(true, false)) {
                Path out = tmp.resolve("killed-" + k + "-" + nextRunWritesNew);
                Fixture.write(out, Fixture.oldFiles());
                String at = steps.get(k);
                int killAt = k;
                int[] count = {0};
                OutputWriter writer = Fixture.writer(out, step -> {
                    if (count[0]++ == killAt) {
                        throw new Killed(step);
                    }
                }, new ArrayList<>());
                assertThrows(Killed.class, () -> writer.write(Fixture.SYSTEM, Fixture.ROOTS, Fixture.newFiles(), false));
                boolean pastCommit = Files.exists(out.resolve(".castle/transaction/journal"));
                boolean staged = Files.exists(out.resolve(".castle/transaction"), LinkOption.NOFOLLOW_LINKS);
                if (!pastCommit) {
                    Map<String, String> visible = Fixture.visible(out);
                    assertTrue(visible.equals(Fixture.visible(oldTree)) || visible.equals(Fixture.visible(newTree)),
                            "killed at " + at + " without a commit record: the output is neither the old nor the new one");
                } else {
                    OutputException dryRun = assertThrows(OutputException.class, () -> Fixture.writer(out, Steps.NONE,
                            new ArrayList<>()).inspect(Fixture.SYSTEM, Fixture.ROOTS, Fixture.newFiles()));
                    assertTrue(dryRun.getMessage().contains("interrupted"), dryRun.getMessage());
                    if (nextRunWritesNew) {
                        committed++;
                    }
                }
                List<String> notices = new ArrayList<>();
                Map<String, byte[]> next = nextRunWritesNew ? Fixture.newFiles() : Fixture.oldFiles();
                Fixture.writer(out, Steps.NONE, notices).write(Fixture.SYSTEM, Fixture.ROOTS, next, false);
                assertEquals(nextRunWritesNew ? newTree : oldTree, FileTree.snapshot(out),
                        "killed at " + at + ", then a run of the " + (nextRunWritesNew ? "new" : "old") + " output: " + notices);
                if (pastCommit) {
                    assertTrue(notices.stream().anyMatch(n -> n.startsWith("completed the write")), notices::toString);
                } else if (staged) {
                    assertTrue(notices.stream().anyMatch(n -> n.startsWith("removed the staging folder")), notices::toString);
                }
            }
        }
        assertTrue(committed > 3, "some kills landed after the commit point: " + committed);
    }

    @Test
    void aFullDiskAtAnyStepLeavesTheOldOutputAndNoStaging() throws Exception {
        Map<String, String> oldTree = Fixture.expected(tmp, Fixture.oldFiles());
        Map<String, String> newTree = Fixture.expected(tmp, Fixture.newFiles());
        List<String> steps = Fixture.steps(tmp, Fixture.oldFiles(), Fixture.newFiles());
        for (int k = 0; k < steps.size(); k++) {
            Path out = tmp.resolve("full-" + k);
            Fixture.write(out, Fixture.oldFiles());
            int failAt = k;
            int[] count = {0};
            List<String> notices = new ArrayList<>();
            OutputWriter writer = Fixture.writer(out, step -> {
                if (count[0]++ == failAt) {
                    throw new FileSystemException(out.resolve(".castle/transaction/new").resolve(step.replaceAll("^\\S+ ", ""))
                            .toString(), null, "No space left on device");
                }
            }, notices);
            String at = steps.get(k);
            if (at.startsWith("dispose")) {
                writer.write(Fixture.SYSTEM, Fixture.ROOTS, Fixture.newFiles(), false);
                assertTrue(notices.stream().anyMatch(n -> n.contains("the next run removes it")), notices::toString);
                Fixture.write(out, Fixture.newFiles());
                assertEquals(newTree, FileTree.snapshot(out), "failed at " + at + " after writing, then ran again");
                continue;
            }
            OutputException e = assertThrows(OutputException.class,
                    () -> writer.write(Fixture.SYSTEM, Fixture.ROOTS, Fixture.newFiles(), false), at);
            assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
            assertTrue(e.getMessage().contains("nothing was changed: the previous output is complete"), e.getMessage());
            FileTree.assertSame(oldTree, FileTree.snapshot(out), "failed at " + at + ": the old output, and no staging left");
            Changes again = Fixture.write(out, Fixture.oldFiles());
            assertTrue(again.isEmpty(), "the old output is still castle's, up to date: " + again);
        }
    }

    @Test
    void aSecondWriterWaitsForTheLockAndGivesUpAfterTheTimeout() throws Exception {
        Path out = tmp.resolve("out");
        Fixture.write(out, Fixture.oldFiles());
        List<String> notices = new ArrayList<>();
        OutputWriter impatient = new OutputWriter(out, notices::add, Steps.NONE, Duration.ofMillis(300));
        try (OutputLock held = OutputLock.acquire(out.resolve(".castle"), Duration.ofSeconds(1), n -> { })) {
            OutputException e = assertThrows(OutputException.class,
                    () -> impatient.write(Fixture.SYSTEM, Fixture.ROOTS, Fixture.newFiles(), false));
            assertTrue(e.getMessage().contains("another castle run"), e.getMessage());
            assertTrue(notices.stream().anyMatch(n -> n.contains("waiting")), notices::toString);
        }
        assertEquals(Fixture.expected(tmp, Fixture.oldFiles()), FileTree.snapshot(out), "the refused run wrote nothing");
        impatient.write(Fixture.SYSTEM, Fixture.ROOTS, Fixture.newFiles(), false);
        assertEquals(Fixture.expected(tmp, Fixture.newFiles()), FileTree.snapshot(out));
    }

    @Test
    void concurrentWritersNeverMixTheirOutputs() throws Exception {
        Path out = tmp.resolve("out");
        Map<String, String> oldTree = Fixture.expected(tmp, Fixture.oldFiles());
        Map<String, String> newTree = Fixture.expected(tmp, Fixture.newFiles());
        Set<String> seen = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 5; round++) {
                List<Future<Changes>> runs = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    Map<String, byte[]> files = (t + round) % 2 == 0 ? Fixture.oldFiles() : Fixture.newFiles();
                    runs.add(pool.submit(() -> Fixture.writer(out, step -> Thread.yield(), new ArrayList<>())
                            .write(Fixture.SYSTEM, Fixture.ROOTS, files, false)));
                }
                for (Future<Changes> run : runs) {
                    run.get();
                }
                Map<String, String> tree = FileTree.snapshot(out);
                assertTrue(tree.equals(oldTree) || tree.equals(newTree), "round " + round + ": a mix of two runs: " + tree);
                seen.add(tree.equals(oldTree) ? "old" : "new");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void filesWrittenIntoTheOutputDuringARunAreKeptNotDeleted() throws Exception {
        Path out = tmp.resolve("out");
        Fixture.write(out, Fixture.oldFiles());
        Path late = out.resolve("demo/templates/late.yaml");
        List<String> notices = new ArrayList<>();
        Fixture.writer(out, step -> {
            if (step.equals("begin")) {
                Files.writeString(late, "written by someone else meanwhile\n");
            }
        }, notices).write(Fixture.SYSTEM, Fixture.ROOTS, Fixture.newFiles(), false);
        assertTrue(notices.stream().anyMatch(n -> n.contains("kept")), notices::toString);
        try (Stream<Path> kept = Files.list(out.resolve(".castle"))) {
            Path folder = kept.filter(p -> p.getFileName().toString().startsWith("kept-")).findFirst().orElseThrow();
            assertEquals("written by someone else meanwhile\n",
                    Files.readString(folder.resolve("demo/templates/late.yaml"), StandardCharsets.UTF_8));
            assertEquals(List.of("demo/templates/late.yaml"), FileTree.snapshot(folder).entrySet().stream()
                    .filter(e -> !e.getValue().equals("dir")).map(Map.Entry::getKey).toList(), "only that file is kept");
        }
    }

    @Test
    void inputFilesInsideTheOutputAreRefused() throws IOException, OutputException {
        Path out = tmp.resolve("out");
        Fixture.write(out, Fixture.oldFiles());
        OutputWriter writer = Fixture.writer(out, Steps.NONE, new ArrayList<>());
        for (String inside : List.of("demo/castle.yaml", "kustomize/demo/files/app.conf", ".castle/castle.yaml",
                "demo/not-yet/castle.yaml")) {
            Path input = out.resolve(inside);
            OutputException e = assertThrows(OutputException.class, () -> writer.checkInputsOutside(Fixture.ROOTS, List.of(input)));
            assertTrue(e.getMessage().contains(input.toString()), e.getMessage());
        }
        Files.createSymbolicLink(tmp.resolve("via-link"), out.resolve("demo"));
        assertThrows(OutputException.class, () -> writer.checkInputsOutside(Fixture.ROOTS,
                List.of(tmp.resolve("via-link/values.yaml"))));
        Files.createSymbolicLink(tmp.resolve("out-link"), out);
        assertThrows(OutputException.class, () -> Fixture.writer(tmp.resolve("out-link"), Steps.NONE, new ArrayList<>())
                .checkInputsOutside(Fixture.ROOTS, List.of(out.resolve("demo/values.yaml"))));
        writer.checkInputsOutside(Fixture.ROOTS, List.of(out.resolve("castle.yaml"), out.resolve("kustomize/castle.yaml"),
                tmp.resolve("castle.yaml"), out.resolve("demo-other/castle.yaml")));
    }
}
