package dev.castle.write;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.castle.testing.Tools;

/**
 * A real small file system that fills up, and a read-only one: {@link FullDiskHarness} in a
 * process of its own, inside a new mount namespace where it mounts tmpfs file systems of chosen
 * sizes. Without root privileges this takes an unprivileged user namespace
 * ({@code unshare --user --map-root-user --mount}), which most Linux machines and CI runners
 * allow; where neither works the test is skipped, and {@link TransactionTest} still fails a
 * write at every step with "No space left on device". {@code -Dcastle.diskSizes=N} sets the
 * number of sizes tried (default 24).
 */
@Tag("integration")
class FullDiskTest {
    private static final int SIZES = Integer.getInteger("castle.diskSizes", 24);

    @TempDir
    Path tmp;

    @Test
    void aSmallFileSystemFillsUpAtEverySizeAndTheOldOutputSurvives() throws Exception {
        List<String> namespace = namespace().orElse(null);
        Assumptions.assumeTrue(namespace != null, "cannot mount here (no user namespaces, not root)");
        Path fixtures = Tools.projectDir().resolve("src/test/resources/descriptors/write");
        List<String> command = new ArrayList<>(namespace);
        Path scratch = Files.createDirectories(tmp.resolve("scratch"));
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + scratch, "-cp",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                FullDiskHarness.class.getName()));
        command.addAll(FullDiskHarness.arguments(tmp, fixtures.resolve("old.yaml"), fixtures.resolve("new.yaml"), SIZES));
        Path log = tmp.resolve("harness.log");
        Process harness = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!harness.waitFor(Tools.TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS)) {
            harness.destroyForcibly();
            throw new AssertionError("the full-disk harness did not finish:\n" + Files.readString(log));
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.print("FullDiskTest: " + output);
        assertEquals(0, harness.exitValue(), output);
    }

    /** How to get a mount namespace here: as any user through a user namespace, or as root. */
    private Optional<List<String>> namespace() throws IOException, InterruptedException {
        Path probe = Files.createDirectories(tmp.resolve("probe"));
        for (List<String> prefix : List.of(List.of("unshare", "--user", "--map-root-user", "--mount"), List.of("unshare", "--mount"))) {
            List<String> command = new ArrayList<>(prefix);
            command.addAll(List.of("sh", "-c", "mount -t tmpfs -o size=1m tmpfs '" + probe + "' && umount '" + probe + "'"));
            try {
                Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
                process.getInputStream().readAllBytes();
                if (process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0) {
                    return Optional.of(prefix);
                }
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
