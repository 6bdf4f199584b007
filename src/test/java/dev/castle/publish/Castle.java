package dev.castle.publish;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.castle.cli.CastleCommand;
import dev.castle.testing.Tools;

/** Runs castle as a user would: in this JVM, or as its own process with a chosen environment and folder. */
final class Castle {
    private Castle() {
    }

    /** What one run of castle did. */
    record Result(int status, String out, String err) {
        @Override
        public String toString() {
            return "exit " + status + "\n--- stdout ---\n" + out + "\n--- stderr ---\n" + err;
        }

        Result assertOk() {
            if (status != 0) {
                throw new AssertionError("castle failed: " + this);
            }
            return this;
        }

        /** Exit 2, with a message and no stack trace. */
        Result assertRefused() {
            if (status != 2 || err.contains("\tat ") || err.contains("internal error")) {
                throw new AssertionError("castle should have refused (exit 2, a message, no stack trace): " + this);
            }
            return this;
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

    /**
     * Runs castle as a separate Java process in {@code cwd} with exactly the environment given (plus
     * PATH, and HOME set to {@code cwd} unless given), so that environment variables and the working
     * folder are the user's.
     */
    static Result process(Path cwd, Map<String, String> env, String... args) throws IOException, InterruptedException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, "dev.castle.cli.Main"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile());
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().put("HOME", cwd.toString());
        builder.environment().putAll(env);
        Process process = builder.start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(process.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(process.getErrorStream()));
        process.getOutputStream().close();
        if (!process.waitFor(Tools.TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("castle " + String.join(" ", args) + " timed out");
        }
        return new Result(process.exitValue(), out.join(), err.join());
    }

    private static String drain(java.io.InputStream in) {
        try (in) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            in.transferTo(bytes);
            return bytes.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Generates the shop example into {@code out} and returns its chart folder. */
    static Path generateShop(Path out) {
        Path descriptor = Tools.projectDir().resolve("examples/shop/castle.yaml");
        run("generate", descriptor.toString(), "-o", out.toString()).assertOk();
        return out.resolve("shop");
    }

    static String sha256(Path file) throws IOException {
        return ChartArchive.sha256(Files.readAllBytes(file));
    }

    /** A YAML file (index.yaml, Chart.yaml) as maps, lists and text, read as castle reads it. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(Path file) throws PublishException {
        return (Map<String, Object>) YamlText.load(YamlText.read(file), file.toString());
    }

    /** The names of the regular files in a .tgz, read with Java's gzip and a plain tar reading, sorted. */
    static List<String> entryNames(Path tgz) throws IOException {
        return entries(tgz).keySet().stream().sorted().toList();
    }

    /** The regular files of a .tgz by name, read independently of castle's reader. */
    static Map<String, byte[]> entries(Path tgz) throws IOException {
        Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        byte[] tar;
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(tgz))) {
            tar = in.readAllBytes();
        }
        int pos = 0;
        String paxPath = null;
        while (pos + 512 <= tar.length && tar[pos] != 0) {
            String name = cString(tar, pos, 100);
            long size = Long.parseLong(cString(tar, pos + 124, 12).trim(), 8);
            char type = (char) tar[pos + 156];
            String prefix = cString(tar, pos + 345, 155);
            if (!prefix.isEmpty()) {
                name = prefix + "/" + name;
            }
            byte[] data = java.util.Arrays.copyOfRange(tar, pos + 512, pos + 512 + (int) size);
            if (type == 'x') {
                for (String record : new String(data, StandardCharsets.UTF_8).split("\n")) {
                    if (record.contains(" path=")) {
                        paxPath = record.substring(record.indexOf(" path=") + 6);
                    }
                }
            } else if (type == '0' || type == 0) {
                if (files.put(paxPath != null ? paxPath : name, data) != null) {
                    files.put((paxPath != null ? paxPath : name) + " (duplicate)", data);
                }
                paxPath = null;
            }
            pos += 512 + (int) ((size + 511) / 512 * 512);
        }
        return files;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    /** Copies a folder tree. */
    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
