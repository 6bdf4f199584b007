package dev.castle.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.castle.testing.Tools;

/**
 * The launcher users run (./castle): with the java on the PATH and with each JDK of 25 or later the
 * machine has (JAVA_HOME), it runs castle without a word of its own on standard error beyond
 * building and recording, and records its start-up archive (class-data sharing before JDK 25, the
 * ahead-of-time cache from 25, recorded anew here) so that the next runs use it. Runs after the
 * jar is packaged.
 */
@Tag("integration")
class LauncherTest {
    private static final Pattern VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"([0-9][0-9.]*)\"");

    @TempDir
    Path tmp;

    /** "" for the java on the PATH, then the home of each JDK 25 or later under /usr/lib/jvm. */
    static Stream<String> javaHomes() throws IOException {
        List<String> homes = new ArrayList<>(List.of(""));
        Path jvm = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvm)) {
            try (Stream<Path> list = Files.list(jvm)) {
                list.filter(home -> !Files.isSymbolicLink(home) && Files.isExecutable(home.resolve("bin/java")))
                        .filter(home -> version(home).map(v -> major(v) >= 25).orElse(false))
                        .sorted().forEach(home -> homes.add(home.toString()));
            }
        }
        return homes.stream();
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void theLauncherRunsCastleQuietlyAndRecordsItsStartUpArchive(String javaHome) throws IOException {
        Path project = Tools.projectDir();
        List<String> launcher = new ArrayList<>(javaHome.isEmpty() ? List.of("env", "-u", "JAVA_HOME") : List.of("env", "JAVA_HOME=" + javaHome));
        launcher.add(project.resolve("castle").toString());

        String jdk = version(javaHome.isEmpty() ? javaOnThePath() : Path.of(javaHome)).orElseThrow();
        Path archive = project.resolve("target/castle-" + jdk + (major(jdk) >= 25 ? ".aot" : ".jsa"));
        Files.deleteIfExists(archive);

        Tools.Result version = run(project, launcher, "--version");
        assertTrue(version.stdout().startsWith("castle "), version::toString);
        assertTrue(version.stderr().contains("castle: recording the start-up archive " + archive), version::toString);
        run(project, launcher, "validate", "examples/shop/castle.yaml");
        run(project, launcher, "generate", "examples/shop/castle.yaml", "-o", tmp.resolve("out").toString());
        assertTrue(Files.isRegularFile(tmp.resolve("out/shop/Chart.yaml")));
        assertTrue(Files.isDirectory(tmp.resolve("out/kustomize/shop/base")));

        assertTrue(Files.size(archive) > 0, archive + " was not recorded (an empty file marks a failed recording)");
        assertTrue(Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(project.resolve("target/castle.jar"))) >= 0,
                archive + " is older than the jar");
    }

    /**
     * castle daemon start in a folder: the launcher hands validate, generate, graph and schema run
     * there to the daemon, without starting a JVM (JAVA_HOME names a java that fails), and each reads
     * exactly as with CASTLE_DAEMON=off, which runs castle's own JVM; generate writes the same files.
     * After castle daemon stop, the daemon is gone and the launcher runs castle itself again. With the
     * java on the PATH and each JDK of 25 or later, as the daemon's.
     */
    @ParameterizedTest
    @MethodSource("javaHomes")
    void aDaemonRunsWhatItServesAsCastleWouldUntilStopped(String javaHome) throws Exception {
        Path project = Tools.projectDir();
        Path work = tmp.resolve("work");
        dev.castle.testing.FileTree.copy(project.resolve("examples/shop"), work.resolve("shop"), path -> true);
        Files.writeString(work.resolve("broken.yaml"), "apiVersion: castle/v1alpha1\nkind: System\nmetadata: {name: Shop}\nservices: {}\n");
        String noJava = failingJavaHome();
        String castle = project.resolve("castle").toString();
        List<String> own = List.of("env", "-u", "JAVA_HOME", "CASTLE_DAEMON=off", castle);
        List<String> daemon = List.of("env", "JAVA_HOME=" + noJava, castle);

        Tools.Result started = run(work, javaHome.isEmpty() ? List.of("env", "-u", "JAVA_HOME", castle) : List.of("env", "JAVA_HOME=" + javaHome, castle),
                "daemon", "start");
        Path log = Daemon.logFile(project.resolve("target/daemon"), work.toString());
        assertTrue(started.stdout().startsWith("castle daemon: serving " + work + " (pid "), started::toString);
        long pid = Long.parseLong(started.stdout().replaceAll("(?s).*\\(pid ([0-9]+).*", "$1"));
        try {
            List<List<String>> commands = List.of(
                    List.of("validate", "shop/castle.yaml"),
                    List.of("validate", "broken.yaml"),
                    List.of("validate", "--format", "github", "broken.yaml"),
                    List.of("generate", "shop/castle.yaml", "-o", "OUT"),
                    List.of("generate", "shop/castle.yaml", "-o", "OUT"),
                    List.of("generate", "--dry-run", "shop/castle.yaml", "-o", "OUT"),
                    List.of("graph", "shop/castle.yaml"),
                    List.of("schema"),
                    List.of("--version"));
            for (List<String> command : commands) {
                Tools.Result served = Tools.run(work, with(daemon, command, "out-daemon"));
                Tools.Result ran = Tools.run(work, with(own, command, "out-own"));
                String what = String.join(" ", command) + "\n" + served + "\n" + ran;
                assertEquals(ran.exitCode(), served.exitCode(), what);
                assertEquals(ran.stdout().replace("out-own", "OUT"), served.stdout().replace("out-daemon", "OUT"), what);
                assertEquals(ran.stderr().replace("out-own", "OUT"), served.stderr().replace("out-daemon", "OUT"), what);
            }
            dev.castle.testing.FileTree.assertSame(dev.castle.testing.FileTree.snapshot(work.resolve("out-own")),
                    dev.castle.testing.FileTree.snapshot(work.resolve("out-daemon")), "generate through the daemon");
            assertEquals(99, Tools.run(work, with(daemon, List.of("validate", "--help"), "")).exitCode(), "help runs in the caller's JVM");
            assertTrue(run(work, own, "daemon", "status").stdout().startsWith("castle daemon: serving " + work));
            assertEquals("", Files.readString(log), "the daemon's log: no warning (on JDK 22 and later, native access comes from the jar's manifest)");
        } finally {
            Tools.Result stopped = run(work, own, "daemon", "stop");
            assertEquals("castle daemon: stopped (pid " + pid + ")\n", stopped.stdout(), stopped::toString);
        }
        assertTrue(ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true), "the daemon's process ended");
        assertEquals("castle daemon: none serving " + work + "\n", run(work, own, "daemon", "status").stdout());
        assertEquals(99, Tools.run(work, with(daemon, List.of("validate", "shop/castle.yaml"), "")).exitCode(), "no daemon: castle's own JVM");
    }

    /**
     * CASTLE_DAEMON=auto: a command the daemon serves, run where none does, runs in castle's own JVM
     * and leaves a daemon starting for the folder (without holding the caller's output open); the next
     * one is served by it, with no JVM started.
     */
    @org.junit.jupiter.api.Test
    void withCastleDaemonAutoAFirstRunStartsTheDaemonForTheNext() throws Exception {
        Path project = Tools.projectDir();
        Path work = tmp.resolve("auto");
        dev.castle.testing.FileTree.copy(project.resolve("examples/shop"), work.resolve("shop"), path -> true);
        String noJava = failingJavaHome();
        String castle = project.resolve("castle").toString();
        List<String> own = List.of("env", "-u", "JAVA_HOME", "CASTLE_DAEMON=off", castle);
        try {
            Tools.Result first = run(work, List.of("env", "-u", "JAVA_HOME", "CASTLE_DAEMON=auto", castle), "validate", "shop/castle.yaml");
            assertEquals("shop/castle.yaml: valid; system shop 0.1.0 with 9 services\n", first.stdout());
            String status = "";
            for (int i = 0; i < 300 && !status.startsWith("castle daemon: serving"); i++) {
                Thread.sleep(200);
                status = run(work, own, "daemon", "status").stdout();
            }
            assertTrue(status.startsWith("castle daemon: serving " + work), status);
            Tools.Result served = Tools.run(work, List.of("env", "JAVA_HOME=" + noJava, "CASTLE_DAEMON=auto", castle,
                    "validate", "shop/castle.yaml"));
            assertEquals(first.stdout(), served.stdout(), served::toString);
            assertEquals(0, served.exitCode(), served::toString);
        } finally {
            run(work, own, "daemon", "stop");
        }
    }

    /** A JAVA_HOME whose java fails with exit 99: a run through the launcher that starts a JVM fails. */
    private String failingJavaHome() throws IOException {
        Path java = tmp.resolve("no-jdk/bin/java");
        Files.createDirectories(java.getParent());
        Files.writeString(java, "#!/bin/sh\necho 'a JVM was started' >&2\nexit 99\n");
        java.toFile().setExecutable(true);
        return java.getParent().getParent().toString();
    }

    private static List<String> with(List<String> launcher, List<String> command, String out) {
        List<String> all = new ArrayList<>(launcher);
        command.forEach(arg -> all.add(arg.equals("OUT") ? out : arg));
        return all;
    }

    /** Runs the launcher: exit 0, and standard error holds at most the launcher's own build and recording lines. */
    private static Tools.Result run(Path cwd, List<String> launcher, String... args) {
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of(args));
        Tools.Result result = Tools.run(cwd, command);
        assertEquals(0, result.exitCode(), result::toString);
        List<String> noise = result.stderr().lines()
                .filter(line -> !line.startsWith("castle: building ") && !line.startsWith("castle: recording the start-up archive "))
                .toList();
        assertEquals(List.of(), noise, result::toString);
        return result;
    }

    private static Path javaOnThePath() throws IOException {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path java = Path.of(dir, "java");
            if (Files.isExecutable(java)) {
                return java.toRealPath().getParent().getParent();
            }
        }
        throw new AssertionError("no java on the PATH");
    }

    private static Optional<String> version(Path home) {
        try {
            Matcher m = VERSION.matcher(Files.readString(home.resolve("release")));
            return m.find() ? Optional.of(m.group(1)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int major(String version) {
        return Integer.parseInt(version.split("\\.")[0]);
    }
}
