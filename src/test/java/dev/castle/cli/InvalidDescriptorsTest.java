package dev.castle.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every malformed descriptor must be refused with exit status 2, a located message
 * ({@code file:line:col: /pointer: problem}), no stack trace, and nothing written. The cases live in
 * {@code src/test/resources/descriptors/invalid/} (see the README there); inputs that cannot be
 * committed as text are written by the tests below.
 */
class InvalidDescriptorsTest {
    private static final String SENTINEL = "keep-me.txt";
    private static final byte[] SENTINEL_BYTES = "written by the test before castle ran\n".getBytes(StandardCharsets.UTF_8);

    /** What a case file says about itself in its first two lines. */
    record Expectation(String text, Integer line, Integer column, List<String> args) {
        private static final Pattern EXPECT = Pattern.compile("^# expect: (.+?)\\s*$");
        private static final Pattern AT = Pattern.compile("^# at: (\\d+)(?::(\\d+))?\\s*$");
        private static final Pattern ARGS = Pattern.compile("^# args: (.+?)\\s*$");

        Expectation(String text, Integer line, Integer column) {
            this(text, line, column, List.of());
        }

        static Expectation of(Path file) {
            byte[] bytes = read(file);
            // The header is ASCII; ISO-8859-1 reads any byte, so a file of invalid UTF-8 still has a header.
            String[] lines = new String(bytes, StandardCharsets.ISO_8859_1).split("\r?\n", 4);
            Matcher expect = EXPECT.matcher(lines.length > 0 ? lines[0] : "");
            if (!expect.matches()) {
                throw new IllegalStateException(file + ": the first line must be '# expect: <text>'");
            }
            Integer line = null;
            Integer column = null;
            Matcher at = AT.matcher(lines.length > 1 ? lines[1] : "");
            if (at.matches()) {
                line = Integer.valueOf(at.group(1));
                column = at.group(2) == null ? null : Integer.valueOf(at.group(2));
            } else if (lines.length > 1 && lines[1].startsWith("# at:")) {
                throw new IllegalStateException(file + ": malformed '# at:' line: " + lines[1]);
            }
            List<String> args = List.of();
            for (int i = 1; i < Math.min(3, lines.length); i++) {
                Matcher extra = ARGS.matcher(lines[i]);
                if (extra.matches()) {
                    args = List.of(extra.group(1).split(" "));
                }
            }
            return new Expectation(expect.group(1), line, column, args);
        }
    }

    /** One located problem as castle prints it. */
    record Located(int line, int column, String text) {
    }

    /** The source folder when there is one (target/test-classes keeps files renamed or deleted since), else the classpath. */
    static Path casesDir() {
        Path source = CastleRun.projectDir().resolve("src/test/resources/descriptors/invalid");
        if (Files.isDirectory(source)) {
            return source;
        }
        URL readme = InvalidDescriptorsTest.class.getResource("/descriptors/invalid/README.md");
        if (readme != null && "file".equals(readme.getProtocol())) {
            try {
                return Path.of(readme.toURI()).getParent();
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("no descriptors/invalid folder in " + source + " nor on the classpath");
    }

    static Stream<Arguments> cases() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(casesDir())) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
        }
        if (files.size() < 30) {
            throw new IllegalStateException("expected at least 30 invalid descriptors in " + casesDir() + ", found " + files.size());
        }
        return files.stream().map(f -> Arguments.of(Named.of(f.getFileName().toString(), f)));
    }

    @ParameterizedTest(name = "generate {0}")
    @MethodSource("cases")
    void generateRefusesAndWritesNothing(Path source, @TempDir Path tmp) throws IOException {
        Path file = tmp.resolve(source.getFileName().toString());
        Files.copy(source, file);
        assertGenerateRefuses(tmp, file, Expectation.of(source));
    }

    @ParameterizedTest(name = "validate {0}")
    @MethodSource("cases")
    void validateRefuses(Path source, @TempDir Path tmp) throws IOException {
        Path file = tmp.resolve(source.getFileName().toString());
        Files.copy(source, file);
        assertValidateRefuses(file, Expectation.of(source));
    }

    @Test
    void binaryGarbageIsRefused(@TempDir Path tmp) throws IOException {
        // A PNG signature followed by pseudo-random bytes: not text at all, invalid from the first byte.
        byte[] bytes = new byte[4096];
        new Random(20261126L).nextBytes(bytes);
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
        System.arraycopy(png, 0, bytes, 0, png.length);
        assertBytesRefused(tmp, "garbage.yaml", bytes, new Expectation("not valid UTF-8", 1, 1));
    }

    @Test
    void utf16TextIsRefused(@TempDir Path tmp) throws IOException {
        String text = "apiVersion: castle/v1alpha1\nkind: System\n";
        byte[] utf16 = ("\uFEFF" + text).getBytes(StandardCharsets.UTF_16LE);
        assertBytesRefused(tmp, "utf16.yaml", utf16, new Expectation("not valid UTF-8", 1, 1));
    }

    @Test
    void nulBytesAreRefused(@TempDir Path tmp) throws IOException {
        String text = """
                apiVersion: castle/v1alpha1
                kind: Sys\0tem
                metadata:
                  name: demo
                  version: 0.1.0
                services:
                  web:
                    image: ghcr.io/acme/web:1.0.0
                    ports:
                      http: 8080
                """;
        assertBytesRefused(tmp, "nul-in-text.yaml", text.getBytes(StandardCharsets.UTF_8), new Expectation("U+0000", 2, 10));
    }

    /** Writes the bytes to a file and expects both generate and validate to refuse them. */
    private static void assertBytesRefused(Path tmp, String name, byte[] bytes, Expectation expectation) throws IOException {
        Path file = tmp.resolve(name);
        Files.write(file, bytes);
        assertGenerateRefuses(tmp, file, expectation);
        assertValidateRefuses(file, expectation);
    }

    @Test
    void onlyNulBytesAreRefused(@TempDir Path tmp) throws IOException {
        assertBytesRefused(tmp, "nul-only.yaml", new byte[64], new Expectation("U+0000", 1, 1));
    }

    @Test
    void zeroByteFileIsRefused(@TempDir Path tmp) throws IOException {
        assertBytesRefused(tmp, "zero-bytes.yaml", new byte[0], new Expectation("the file is empty", 1, 1));
    }

    @Test
    void oversizedFileIsRefused(@TempDir Path tmp) throws IOException {
        // 5 MiB of comment lines: larger than any descriptor castle accepts.
        StringBuilder text = new StringBuilder("apiVersion: castle/v1alpha1\n");
        String comment = "# " + "x".repeat(1021) + "\n";
        while (text.length() < 5 * 1024 * 1024) {
            text.append(comment);
        }
        Path file = tmp.resolve("oversized.yaml");
        Files.writeString(file, text);
        Expectation expectation = new Expectation("bytes", 1, 1);
        assertGenerateRefuses(tmp, file, expectation);
        assertValidateRefuses(file, expectation);
    }

    // --- several independent problems at once ----------------------------------------------------

    @Test
    void threeSchemaProblemsAreReportedAtOnce(@TempDir Path tmp) throws IOException {
        Path file = write(tmp, "three-schema-problems.yaml", """
                apiVersion: castle/v1alpha1
                kind: System
                metadata:
                  name: demo
                  version: 0.1.0
                services:
                  web:
                    image: ghcr.io/acme/web:1.0.0
                    ports:
                      http: 8080
                    replicas: "two"
                  api:
                    image: ghcr.io/acme/api:1.0.0
                    workload: Daemon
                    ports:
                      http: 70000
                """);
        assertAllReported(tmp, file, List.of(
                new Located(11, 15, "/services/web/replicas"),
                new Located(14, 15, "/services/api/workload"),
                new Located(16, 13, "/services/api/ports/http")));
    }

    @Test
    void threeRuleProblemsAreReportedAtOnce(@TempDir Path tmp) throws IOException {
        Path file = write(tmp, "three-rule-problems.yaml", """
                apiVersion: castle/v1alpha1
                kind: System
                metadata:
                  name: demo
                  version: 0.1.0
                services:
                  web:
                    image: ghcr.io/acme/web:latest
                    ports:
                      http: 8080
                  api:
                    image: ghcr.io/acme/api:1.0.0
                    ports:
                      http: 8080
                    env:
                      DB_PASSWORD: hunter2
                  worker:
                    image: ghcr.io/acme/worker:1.0.0
                    ports:
                      http: 8080
                    schedule: "*/5 * * * *"
                """);
        assertAllReported(tmp, file, List.of(
                new Located(8, 12, "the image tag 'latest' is not reproducible"),
                new Located(16, 7, "'DB_PASSWORD' looks like a secret"),
                new Located(21, 15, "schedule is only for a CronJob")));
    }

    /**
     * A schema problem in one service must not hide castle's own rules' findings in the others:
     * the user should see all three problems in one run, not one now and two after fixing it.
     */
    @Test
    void schemaAndRuleProblemsInDifferentServicesAreReportedAtOnce(@TempDir Path tmp) throws IOException {
        Path file = write(tmp, "mixed-problems.yaml", """
                apiVersion: castle/v1alpha1
                kind: System
                metadata:
                  name: demo
                  version: 0.1.0
                services:
                  web:
                    image: ghcr.io/acme/web:1.0.0
                    ports:
                      http: 8080
                    replicas: "two"
                  api:
                    image: ghcr.io/acme/api:latest
                    ports:
                      http: 8080
                  worker:
                    image: ghcr.io/acme/worker:1.0.0
                    ports:
                      http: 8080
                    env:
                      DB_PASSWORD: hunter2
                """);
        assertAllReported(tmp, file, List.of(
                new Located(11, 15, "/services/web/replicas"),
                new Located(13, 12, "the image tag 'latest' is not reproducible"),
                new Located(21, 7, "'DB_PASSWORD' looks like a secret")));
    }

    /**
     * Schema problems and rule problems of the same service come in one run: the rules check the
     * bound model of every entry, leaving alone only the fields the schema found malformed.
     */
    @Test
    void schemaAndRuleProblemsOfOneServiceAreReportedAtOnce(@TempDir Path tmp) throws IOException {
        Path file = write(tmp, "one-service.yaml", """
                apiVersion: castle/v1alpha1
                kind: System
                metadata:
                  name: demo
                  version: 0.1.0
                services:
                  web:
                    image: ghcr.io/acme/web:latest
                    ports:
                      http: 8080
                    replicas: "two"
                    imgae: typo
                    schedule: "*/5 * * * *"
                    env:
                      DB_PASSWORD: hunter2
                    resources:
                      requests: {memory: 256Mi}
                      limits: {memory: 128Mi}
                """);
        assertAllReported(tmp, file, List.of(
                new Located(8, 12, "the image tag 'latest' is not reproducible"),
                new Located(11, 15, "/services/web/replicas"),
                new Located(12, 5, "unknown key 'imgae'"),
                new Located(13, 15, "schedule is only for a CronJob"),
                new Located(15, 7, "'DB_PASSWORD' looks like a secret"),
                new Located(18, 24, "the memory limit is below the request")));
    }

    private static void assertAllReported(Path tmp, Path file, List<Located> expected) throws IOException {
        for (String command : List.of("validate", "generate")) {
            Path out = prepareOutput(tmp.resolve("out-" + command));
            Map<String, String> before = CastleRun.tree(out);
            CastleRun.Result result = command.equals("validate")
                    ? CastleRun.run("validate", file.toString())
                    : CastleRun.run("generate", file.toString(), "-o", out.toString());
            assertEquals(2, result.status(), () -> command + ": exit status\n" + result);
            CastleRun.assertNoStackTrace(result);
            List<Located> found = located(result.err(), file.toString());
            assertEquals(expected.size(), found.size(), () -> command + ": expected " + expected.size()
                    + " located problems, one line each\n" + result);
            assertTrue(result.err().contains("has " + expected.size() + " problems"), () -> command + ": count\n" + result);
            for (Located want : expected) {
                assertTrue(found.stream().anyMatch(f -> f.line() == want.line() && f.column() == want.column()
                                && f.text().contains(want.text())),
                        () -> command + ": no problem at " + want.line() + ":" + want.column() + " mentioning '"
                                + want.text() + "'\n" + result);
            }
            assertEquals(before, CastleRun.tree(out), () -> command + ": the output folder changed\n" + result);
        }
    }

    // --- shared assertions ---------------------------------------------------------------------

    /** An output folder that already holds a sentinel file, so that "nothing written" is visible. */
    private static Path prepareOutput(Path out) throws IOException {
        Files.createDirectories(out);
        Files.write(out.resolve(SENTINEL), SENTINEL_BYTES);
        return out;
    }

    static void assertGenerateRefuses(Path tmp, Path file, Expectation expectation) throws IOException {
        Path out = prepareOutput(tmp.resolve("out"));
        Map<String, String> before = CastleRun.tree(out);
        String who = "generate " + file.getFileName() + ": ";
        List<String> args = new ArrayList<>(List.of("generate", file.toString(), "-o", out.toString()));
        args.addAll(expectation.args());
        CastleRun.Result result = CastleRun.run(args.toArray(String[]::new));
        assertEquals(2, result.status(), () -> who + "exit status\n" + result);
        CastleRun.assertNoStackTrace(result);
        assertLocated(file, expectation, result);
        assertFalse(result.out().contains("generated"), () -> who + "stdout claims something was generated\n" + result);
        assertEquals(before, CastleRun.tree(out), () -> who + "the output folder changed\n" + result);
        assertTrue(Arrays.equals(SENTINEL_BYTES, Files.readAllBytes(out.resolve(SENTINEL))), who + "sentinel file changed");
    }

    static void assertValidateRefuses(Path file, Expectation expectation) {
        String who = "validate " + file.getFileName() + ": ";
        List<String> args = new ArrayList<>(List.of("validate", file.toString()));
        args.addAll(expectation.args());
        CastleRun.Result result = CastleRun.run(args.toArray(String[]::new));
        assertEquals(2, result.status(), () -> who + "exit status\n" + result);
        CastleRun.assertNoStackTrace(result);
        assertLocated(file, expectation, result);
        assertFalse(result.out().contains("valid;"), () -> who + "stdout says valid\n" + result);
    }

    /**
     * stderr holds at least one {@code file:line:col: } line, every such position lies inside the file,
     * the first one is the expected position (when given), and one of them carries the expected text.
     */
    static void assertLocated(Path file, Expectation expectation, CastleRun.Result result) {
        String name = file.toString();
        String who = file.getFileName() + ": ";
        List<Located> found = located(result.err(), name);
        if (found.isEmpty()) {
            fail(who + "no '" + name + ":LINE:COL: ' diagnostic on stderr\n" + result);
        }
        List<String> lines = textLines(file);
        for (Located l : found) {
            boolean inside = l.line() >= 1 && l.column() >= 1
                    && (lines.isEmpty() ? l.line() == 1 && l.column() == 1
                    : l.line() <= lines.size() && l.column() <= lines.get(l.line() - 1).length() + 1);
            assertTrue(inside, () -> who + "position " + l.line() + ":" + l.column() + " is not inside the file ("
                    + lines.size() + " lines)\n" + result);
        }
        Located first = found.get(0);
        if (expectation.line() != null) {
            String want = expectation.line() + (expectation.column() == null ? "" : ":" + expectation.column());
            String got = first.line() + (expectation.column() == null ? "" : ":" + first.column());
            assertEquals(want, got, () -> who + "position of the first problem\n" + result);
        }
        String wanted = expectation.text().toLowerCase(Locale.ROOT);
        assertTrue(found.stream().anyMatch(l -> l.text().toLowerCase(Locale.ROOT).contains(wanted)),
                () -> who + "no located problem mentions '" + expectation.text() + "'\n" + result);
    }

    static List<Located> located(String err, String fileName) {
        Pattern pattern = Pattern.compile("^\\s*" + Pattern.quote(fileName) + ":(\\d+):(\\d+): (.*)$", Pattern.MULTILINE);
        Matcher m = pattern.matcher(err);
        List<Located> found = new ArrayList<>();
        while (m.find()) {
            found.add(new Located(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), m.group(3)));
        }
        return found;
    }

    /** The file's lines as an editor shows them (undecodable bytes count as one character each). */
    private static List<String> textLines(Path file) {
        String text = new String(read(file), StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\r?\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path write(Path dir, String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }
}
