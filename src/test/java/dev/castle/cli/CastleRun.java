package dev.castle.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Runs castle in-process through {@link CastleCommand#execute(String[], PrintWriter, PrintWriter)}. */
final class CastleRun {
    private CastleRun() {
    }

    /** What one run of castle did. */
    record Result(int status, String out, String err) {
        @Override
        public String toString() {
            return "exit " + status + "\n--- stdout ---\n" + out + "\n--- stderr ---\n" + err;
        }
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status;
        try (PrintWriter o = new PrintWriter(out, true); PrintWriter e = new PrintWriter(err, true)) {
            status = CastleCommand.execute(args, o, e);
        }
        return new Result(status, out.toString(), err.toString());
    }

    /** The project folder (for examples/shop), from -Dcastle.projectDir or the working folder. */
    static Path projectDir() {
        String dir = System.getProperty("castle.projectDir");
        return Path.of(dir == null || dir.isBlank() ? System.getProperty("user.dir") : dir).toAbsolutePath();
    }

    static Path shopExample() {
        return projectDir().resolve("examples/shop/castle.yaml");
    }

    /** Fails when stderr holds what looks like a Java stack trace or exception. */
    static void assertNoStackTrace(Result result) {
        assertNoStackTrace("", result);
    }

    static void assertNoStackTrace(String who, Result result) {
        for (String marker : new String[] {"at dev.castle", "Exception", "\tat "}) {
            assertFalse(result.err().contains(marker), () -> who + "stderr shows a stack trace (exit " + result.status() + ", "
                    + result.err().lines().findFirst().orElse("") + "):\n" + result);
        }
    }

    /**
     * Every file and folder under {@code root}, by relative path, with a digest of each file's bytes
     * ("dir" for folders); empty when root does not exist.
     */
    static Map<String, String> tree(Path root) {
        Map<String, String> entries = new TreeMap<>();
        if (!Files.exists(root)) {
            return entries;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.filter(p -> !p.equals(root)).toList()) {
                String name = root.relativize(path).toString().replace('\\', '/');
                entries.put(name, Files.isDirectory(path) ? "dir" : sha256(Files.readAllBytes(path)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
