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

    /** Runs the launcher: exit 0, and standard error holds at most the launcher's own build and recording lines. */
    private static Tools.Result run(Path project, List<String> launcher, String... args) {
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of(args));
        Tools.Result result = Tools.run(project, command);
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
