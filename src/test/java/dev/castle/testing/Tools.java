package dev.castle.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real helm and kubectl binaries that {@code scripts/fetch-tools.sh} puts in
 * {@code <project>/.tools/} (mvn verify runs it before the tests), and a way to run them.
 *
 * <ul>
 *   <li>{@code .tools/v31}: helm 3.17, kubectl 1.31 (kustomize 5.4)</li>
 *   <li>{@code .tools/v35}: helm 4.1, kubectl 1.35 (kustomize 5.7)</li>
 * </ul>
 *
 * <p>Every process started by {@link #run} is isolated from the user's setup: helm's config,
 * cache and data live in a temporary folder of this JVM, and {@code KUBECONFIG} points to a file
 * that does not exist, so nothing can reach a real cluster.
 */
public final class Tools {

    /** How long one command may run. */
    public static final Duration TIMEOUT = Duration.ofSeconds(120);

    private static final String HOW_TO_FETCH = "run `bash scripts/fetch-tools.sh` (mvn verify does it)";

    private Tools() {
    }

    /** The output of a finished process. {@code command} is what ran, for messages. */
    public record Result(int exitCode, String stdout, String stderr, List<String> command) {

        public Result {
            command = List.copyOf(command);
        }

        public Result(int exitCode, String stdout, String stderr) {
            this(exitCode, stdout, stderr, List.of());
        }

        /** Returns this result if the exit code is 0, else throws an AssertionError telling all. */
        public Result assertOk() {
            if (exitCode != 0) {
                throw new AssertionError(describe("failed"));
            }
            return this;
        }

        /** Returns this result if the exit code is not 0, else throws an AssertionError telling all. */
        public Result assertFailed() {
            if (exitCode == 0) {
                throw new AssertionError(describe("succeeded but was expected to fail"));
            }
            return this;
        }

        private String describe(String what) {
            return "command " + what + ": " + String.join(" ", command)
                    + "\nexit code: " + exitCode
                    + "\n--- stdout ---\n" + stdout
                    + "\n--- stderr ---\n" + stderr;
        }
    }

    /** The project root: system property {@code castle.projectDir} (set by surefire), else the working dir. */
    public static Path projectDir() {
        String dir = System.getProperty("castle.projectDir");
        return (dir == null || dir.isBlank() ? Paths.get("") : Paths.get(dir)).toAbsolutePath().normalize();
    }

    /**
     * {@code <project>/.tools}, or the folder in the environment variable {@code CASTLE_TOOLS} (as
     * scripts/fetch-tools.sh), or in the system property {@code castle.toolsDir} (for tests of this class).
     */
    public static Path toolsDir() {
        String override = System.getProperty("castle.toolsDir", System.getenv("CASTLE_TOOLS"));
        return override == null || override.isBlank() ? projectDir().resolve(".tools") : Paths.get(override).toAbsolutePath();
    }

    /** Mermaid's own parser: {@code node <this> FILE...} prints what it understood of each diagram (scripts/mermaid/check.mjs). */
    public static Path mermaidCheck() {
        Path path = toolsDir().resolve("mermaid").resolve("check.mjs");
        if (!Files.isRegularFile(path)) {
            throw new AssertionError("the Mermaid parser is not at " + path + ": " + HOW_TO_FETCH);
        }
        return path;
    }

    /** Helm 3.17. */
    public static Path helm3() {
        return tool("v31", "helm");
    }

    /** Helm 4.1. */
    public static Path helm4() {
        return tool("v35", "helm");
    }

    /** kubectl 1.31 with kustomize 5.4. */
    public static Path kubectl31() {
        return tool("v31", "kubectl");
    }

    /** kubectl 1.35 with kustomize 5.7. */
    public static Path kubectl35() {
        return tool("v35", "kubectl");
    }

    /** Runs a command in {@code cwd}, isolated as described above; see {@link #run(Path, List)}. */
    public static Result run(Path cwd, String... command) {
        return run(cwd, List.of(command));
    }

    /**
     * Runs a command in {@code cwd} with no standard input, captures standard output and error
     * separately (UTF-8), and returns them with the exit code. Fails with an AssertionError when the
     * command cannot start or runs longer than {@link #TIMEOUT}. Does not check the exit code: see
     * {@link Result#assertOk()}.
     */
    public static Result run(Path cwd, List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile());
        isolate(builder.environment());
        builder.redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new AssertionError("cannot start " + String.join(" ", command) + " in " + cwd + ": " + e.getMessage(), e);
        }
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> drain(process.getInputStream()));
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> drain(process.getErrorStream()));
        try {
            if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("command timed out after " + TIMEOUT.toSeconds() + " s: "
                        + String.join(" ", command) + "\n--- stdout ---\n" + stdout.getNow("")
                        + "\n--- stderr ---\n" + stderr.getNow(""));
            }
            return new Result(process.exitValue(), stdout.get(30, TimeUnit.SECONDS), stderr.get(30, TimeUnit.SECONDS), command);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + String.join(" ", command), e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError("cannot read the output of " + String.join(" ", command), e);
        }
    }

    private static Path tool(String set, String name) {
        Path path = toolsDir().resolve(set).resolve(name);
        if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
            throw new AssertionError(name + " not found at " + path + ": " + HOW_TO_FETCH);
        }
        return path;
    }

    /** Removes inherited helm and kubectl settings and points them at this JVM's scratch folder. */
    private static void isolate(Map<String, String> env) {
        env.keySet().removeIf(k -> k.startsWith("HELM_") || k.startsWith("KUBE"));
        Path state = Scratch.DIR;
        env.put("HELM_CONFIG_HOME", state.resolve("helm/config").toString());
        env.put("HELM_CACHE_HOME", state.resolve("helm/cache").toString());
        env.put("HELM_DATA_HOME", state.resolve("helm/data").toString());
        env.put("KUBECONFIG", state.resolve("kube/no-such-kubeconfig").toString());
        env.put("KUBECACHEDIR", state.resolve("kube/cache").toString());
    }

    private static String drain(InputStream in) {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    /** One scratch folder per JVM, removed when the JVM exits. */
    private static final class Scratch {
        static final Path DIR = create();

        private static Path create() {
            try {
                Path dir = Files.createTempDirectory("castle-tools-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
                return dir;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a scratch folder for helm and kubectl", e);
            }
        }

        private static void deleteTree(Path dir) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | UncheckedIOException ignored) {
                // best effort at exit
            }
        }
    }
}
