package dev.castle.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Everything under a folder, by relative path, without following links: "dir", "file <sha256>",
 * "link <target>" or "special" (a FIFO, socket or device). Two snapshots are equal when nothing
 * was added, removed, replaced or changed.
 */
public final class FileTree {
    private FileTree() {
    }

    public static Map<String, String> snapshot(Path root) {
        return snapshot(root, path -> true);
    }

    /** The snapshot of the entries whose relative path passes {@code include} (and of nothing below the others). */
    public static Map<String, String> snapshot(Path root, Predicate<String> include) {
        Map<String, String> entries = new TreeMap<>();
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return entries;
        }
        try {
            Files.walkFileTree(root, EnumSet.noneOf(FileVisitOption.class), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    String name = name(root, dir);
                    if (!name.isEmpty() && !include.test(name)) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    entries.put(name, "dir");
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    String name = name(root, file);
                    if (include.test(name)) {
                        entries.put(name, attrs.isSymbolicLink() ? "link " + Files.readSymbolicLink(file)
                                : attrs.isRegularFile() ? "file " + sha256(file) : "special");
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }

    /** The entries that differ between two snapshots, one a line ("- path ..." only before, "+ path ..." only after). */
    public static String difference(Map<String, String> before, Map<String, String> after) {
        StringBuilder text = new StringBuilder();
        before.forEach((path, what) -> {
            if (!what.equals(after.get(path))) {
                text.append("\n- ").append(path).append(' ').append(what);
            }
        });
        after.forEach((path, what) -> {
            if (!what.equals(before.get(path))) {
                text.append("\n+ ").append(path).append(' ').append(what);
            }
        });
        return text.toString();
    }

    /** Fails with the differing entries only, when two snapshots differ. */
    public static void assertSame(Map<String, String> expected, Map<String, String> actual, String message) {
        if (!expected.equals(actual)) {
            throw new AssertionError(message + ":" + difference(expected, actual));
        }
    }

    /** Copies the folder {@code from} to {@code to}, files for which {@code include} holds (all folders). */
    public static Path copy(Path from, Path to, Predicate<Path> include) {
        try (java.util.stream.Stream<Path> walk = Files.walk(from)) {
            for (Path path : walk.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else if (include.test(path)) {
                    Files.copy(path, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return to;
    }

    private static String name(Path root, Path path) {
        return root.relativize(path).toString().replace('\\', '/');
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
