package dev.castle.write;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.castle.testing.FileTree;

/**
 * Two small outputs of a system "demo" (a chart and a Kustomize tree), the second adding, changing
 * and removing files of the first, and helpers to write and compare them.
 */
final class Fixture {
    static final String SYSTEM = "demo";
    static final List<String> ROOTS = List.of("demo", "kustomize/demo");

    private Fixture() {
    }

    static Map<String, byte[]> oldFiles() {
        Map<String, byte[]> files = new TreeMap<>();
        put(files, "demo/Chart.yaml", "apiVersion: v2\nname: demo\nversion: 1.0.0\n");
        put(files, "demo/values.yaml", "web:\n  replicas: 2\n");
        put(files, "demo/templates/a.yaml", "kind: ConfigMap\n");
        put(files, "demo/charts/web/Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.0.0\n");
        put(files, "demo/charts/web/templates/gone.yaml", "kind: Service\n");
        put(files, "kustomize/demo/base/kustomization.yaml", "resources: [all.yaml]\n");
        put(files, "kustomize/demo/base/all.yaml", "kind: Deployment\nversion: 1\n");
        put(files, "kustomize/demo/overlays/prod/kustomization.yaml", "resources: [../../base]\n");
        return files;
    }

    static Map<String, byte[]> newFiles() {
        Map<String, byte[]> files = oldFiles();
        put(files, "demo/Chart.yaml", "apiVersion: v2\nname: demo\nversion: 1.1.0\n");
        put(files, "demo/templates/b.yaml", "kind: Secret\n");
        files.remove("demo/charts/web/templates/gone.yaml");
        put(files, "demo/charts/api/Chart.yaml", "apiVersion: v2\nname: api\nversion: 1.1.0\n");
        put(files, "kustomize/demo/base/all.yaml", "kind: Deployment\nversion: 2\n");
        put(files, "kustomize/demo/overlays/dev/kustomization.yaml", "resources: [../../base]\n");
        return files;
    }

    private static void put(Map<String, byte[]> files, String path, String text) {
        files.put(path, text.getBytes(StandardCharsets.UTF_8));
    }

    static OutputWriter writer(Path out, Steps steps, List<String> notices) {
        return new OutputWriter(out, notice -> {
            synchronized (notices) {
                notices.add(notice);
            }
        }, steps, Duration.ofSeconds(60));
    }

    static Changes write(Path out, Map<String, byte[]> files) {
        try {
            return writer(out, Steps.NONE, new ArrayList<>()).write(SYSTEM, ROOTS, files, false);
        } catch (OutputException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    /** The snapshot without the lock file, which a killed run leaves and the next run removes. */
    static Map<String, String> visible(Path out) {
        return FileTree.snapshot(out, path -> !path.equals(".castle/lock") && !path.startsWith(".castle/transaction"));
    }

    /** A snapshot without the lock file and the staging, as {@link #visible} reads the output. */
    static Map<String, String> visible(Map<String, String> snapshot) {
        Map<String, String> visible = new TreeMap<>(snapshot);
        visible.keySet().removeIf(path -> path.equals(".castle/lock") || path.startsWith(".castle/transaction"));
        return visible;
    }

    /** What {@code files} look like on disk once written: a fresh folder written with them. */
    static Map<String, String> expected(Path scratch, Map<String, byte[]> files) {
        Path out = scratch.resolve("expected-" + System.nanoTime());
        write(out, files);
        Map<String, String> snapshot = FileTree.snapshot(out);
        delete(out);
        return snapshot;
    }

    static void delete(Path root) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(root);
                return;
            }
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The names of the steps a write of {@code next} over {@code previous} goes through. */
    static List<String> steps(Path scratch, Map<String, byte[]> previous, Map<String, byte[]> next) throws OutputException {
        Path out = scratch.resolve("steps-" + System.nanoTime());
        write(out, previous);
        List<String> steps = new ArrayList<>();
        writer(out, steps::add, new ArrayList<>()).write(SYSTEM, ROOTS, next, false);
        delete(out);
        return steps;
    }
}
