package dev.castle.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.castle.cli.CastleCommand;
import dev.castle.testing.FileTree;
import dev.castle.testing.Tools;

/**
 * Real processes: {@code castle generate} killed with SIGKILL at many points of a run (at chosen
 * steps of the write, and after random delays), and two runs on one output folder at once. The
 * output is always the old one or the new one, never a mix, and the next run completes or cleans
 * up what a killed run left. {@code -Dcastle.kills=N} sets the number of kills (default 6),
 * {@code -Dcastle.killSeed=S} the random seed.
 */
@Tag("integration")
class KillTest {
    private static final int KILLS = Integer.getInteger("castle.kills", 6);
    private static final long SEED = Long.getLong("castle.killSeed", 20261128L);

    @TempDir
    static Path tmp;
    static Path oldDescriptor;
    static Path newDescriptor;
    static Path oldOutput;
    static Map<String, String> oldTree;
    static Map<String, String> newTree;

    @BeforeAll
    static void expectedOutputs() {
        Path fixtures = Tools.projectDir().resolve("src/test/resources/descriptors/write");
        oldDescriptor = fixtures.resolve("old.yaml");
        newDescriptor = fixtures.resolve("new.yaml");
        oldOutput = tmp.resolve("old-output");
        generate(oldDescriptor, oldOutput).assertOk();
        oldTree = FileTree.snapshot(oldOutput);
        Path fresh = tmp.resolve("new-output");
        generate(newDescriptor, fresh).assertOk();
        newTree = FileTree.snapshot(fresh);
    }

    record Result(int status, String out, String err) {
        Result assertOk() {
            if (status != 0) {
                throw new AssertionError("castle failed: exit " + status + "\n" + out + err);
            }
            return this;
        }
    }

    static Result generate(Path descriptor, Path out) {
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        int status = CastleCommand.execute(new String[] {"generate", descriptor.toString(), "-o", out.toString()},
                new PrintWriter(stdout, true), new PrintWriter(stderr, true));
        return new Result(status, stdout.toString(), stderr.toString());
    }

    /** A castle process whose writer announces its steps; its stdout lines arrive in {@link #lines}. */
    static final class Castle {
        final Process process;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final Path stderr;

        Castle(long pauseMillis, Path descriptor, Path out, Path stderr) throws IOException {
            this(Long.toString(pauseMillis), descriptor, out, stderr);
        }

        Castle(String pause, Path descriptor, Path out, Path stderr) throws IOException {
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            this.stderr = stderr;
            process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath,
                    SteppedCastle.class.getName(), pause, "generate", descriptor.toString(),
                    "-o", out.toString())
                    .redirectError(stderr.toFile()).start();
            Thread reader = new Thread(() -> {
                try (var in = process.inputReader(StandardCharsets.UTF_8)) {
                    for (String line; (line = in.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // the process was killed
                }
                lines.add("<end>");
            });
            reader.setDaemon(true);
            reader.start();
        }

        /** Waits for the line announcing {@code step}; false if the process ended first. */
        boolean awaitStep(String step) throws InterruptedException {
            while (true) {
                String line = lines.poll(Tools.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                if (line == null || line.equals("<end>")) {
                    return false;
                }
                if (line.equals(SteppedCastle.PREFIX + step)) {
                    return true;
                }
            }
        }

        int kill() throws InterruptedException {
            process.destroyForcibly();
            return process.waitFor();
        }

        int await() throws InterruptedException {
            if (!process.waitFor(Tools.TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("castle did not finish");
            }
            return process.exitValue();
        }

        String err() {
            try {
                return Files.readString(stderr);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Test
    void killedAtManyPointsTheOutputIsTheOldOrTheNewOneAndTheNextRunCompletesIt() throws Exception {
        Path first = copy(oldOutput, tmp.resolve("first"));
        Castle whole = new Castle(0, newDescriptor, first, tmp.resolve("first.err"));
        List<String> steps = new ArrayList<>();
        long started = System.nanoTime();
        for (String line; !(line = whole.lines.take()).equals("<end>"); ) {
            if (line.startsWith(SteppedCastle.PREFIX)) {
                steps.add(line.substring(SteppedCastle.PREFIX.length()));
            }
        }
        assertEquals(0, whole.await(), whole::err);
        long duration = System.nanoTime() - started;
        FileTree.assertSame(newTree, FileTree.snapshot(first), "an uninterrupted run");
        assertTrue(steps.size() > 50, steps.toString());

        Random random = new Random(SEED);
        int beforeCommit = 0;
        int committed = 0;
        int afterApply = 0;
        List<String> points = new ArrayList<>();
        for (int i = 0; i < KILLS; i++) {
            Path out = copy(oldOutput, tmp.resolve("kill-" + i));
            Castle castle = new Castle(0, newDescriptor, out, tmp.resolve("kill-" + i + ".err"));
            String point;
            if (i % 3 == 2) {
                long delay = (long) (random.nextDouble() * duration);
                TimeUnit.NANOSECONDS.sleep(delay);
                point = "after " + delay / 1_000_000 + " ms";
            } else {
                String step = steps.get(i % 3 == 0 ? random.nextInt(steps.size())
                        : steps.size() - 1 - random.nextInt(Math.min(12, steps.size())));
                castle.awaitStep(step);
                point = "at step '" + step + "'";
            }
            castle.kill();
            points.add(point);
            boolean journal = Files.exists(out.resolve(".castle/transaction/journal"), LinkOption.NOFOLLOW_LINKS);
            Map<String, String> visible = Fixture.visible(out);
            if (journal) {
                committed++;
            } else if (visible.equals(Fixture.visible(oldTree))) {
                beforeCommit++;
            } else if (visible.equals(Fixture.visible(newTree))) {
                afterApply++;
            } else {
                throw new AssertionError("killed " + point + ": neither the old output nor the new one, and no commit record:"
                        + FileTree.difference(Fixture.visible(oldTree), visible));
            }
            boolean toNew = i % 2 == 0;
            Result next = generate(toNew ? newDescriptor : oldDescriptor, out);
            assertEquals(0, next.status(), () -> "killed " + point + ", the next run: " + next.out() + next.err());
            assertTrue(!next.err().contains("edited by hand"), next.err());
            FileTree.assertSame(toNew ? newTree : oldTree, FileTree.snapshot(out),
                    "killed " + point + ", then a run of the " + (toNew ? "new" : "old") + " descriptor");
        }
        System.out.printf("KillTest: %d kill -9 of castle generate (%d steps in a write, %.1f s a run): %d left the old"
                        + " output, %d were past the commit point and completed by the next run, %d had finished the write;"
                        + " points: %s%n", KILLS, steps.size(), duration / 1e9, beforeCommit, committed, afterApply, points);
    }

    @Test
    void aSecondRunWaitsForTheFirstAndTheyNeverMix() throws Exception {
        Path out = tmp.resolve("concurrent");
        Path go = tmp.resolve("go");
        Castle first = new Castle("commit=" + go, newDescriptor, out, tmp.resolve("first.err"));
        assertTrue(first.awaitStep("commit"), first::err);
        StringWriter secondErr = new StringWriter();
        java.util.concurrent.CompletableFuture<Integer> second = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                CastleCommand.execute(new String[] {"generate", oldDescriptor.toString(), "-o", out.toString()},
                        new PrintWriter(new StringWriter(), true), new PrintWriter(secondErr, true)));
        long deadline = System.nanoTime() + Tools.TIMEOUT.toNanos();
        while (!secondErr.toString().contains("waiting for another castle run") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(secondErr.toString().contains("waiting for another castle run (process " + first.process.pid() + ")"),
                secondErr::toString);
        Files.createFile(go);
        assertEquals(0, first.await(), first::err);
        assertEquals(0, second.get(Tools.TIMEOUT.toSeconds(), TimeUnit.SECONDS), secondErr::toString);
        FileTree.assertSame(oldTree, FileTree.snapshot(out), "the second run's output, whole");

        Path both = tmp.resolve("both");
        Castle a = new Castle(5, oldDescriptor, both, tmp.resolve("a.err"));
        Castle b = new Castle(5, newDescriptor, both, tmp.resolve("b.err"));
        assertEquals(0, a.await(), a::err);
        assertEquals(0, b.await(), b::err);
        Map<String, String> tree = FileTree.snapshot(both);
        assertTrue(tree.equals(oldTree) || tree.equals(newTree), "two runs at once mixed their outputs:"
                + FileTree.difference(oldTree, tree));
    }

    private static Path copy(Path from, Path to) {
        return FileTree.copy(from, to, path -> true);
    }
}
