package dev.castle.write;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Lists of files with their SHA-256, in {@code sha256sum} format ({@code <hex>  <path>} a line):
 * the record of what castle wrote ({@code DIR/.castle/<system>.sha256}) and, inside a
 * transaction, the list of the old files castle may delete.
 */
final class Checksums {
    private Checksums() {
    }

    static Map<String, String> parse(String text) {
        Map<String, String> sums = new TreeMap<>();
        for (String line : text.split("\n")) {
            int space = line.indexOf("  ");
            if (space == 64) {
                sums.put(line.substring(space + 2), line.substring(0, space));
            }
        }
        return sums;
    }

    static Map<String, String> read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    static byte[] format(Map<String, String> sums) {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(sums).forEach((path, sum) -> text.append(sum).append("  ").append(path).append('\n'));
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The SHA-256 of each file, by path, hashed on every core: a write needs them for the look
     * without the lock, the look under it and the new record (146 MB at 1,000 services, hashed
     * three times before).
     */
    static Map<String, String> of(Map<String, byte[]> files) {
        Map<String, String> sums = new java.util.concurrent.ConcurrentHashMap<>();
        files.entrySet().parallelStream().forEach(file -> sums.put(file.getKey(), sha256(file.getValue())));
        return new TreeMap<>(sums);
    }

    static String sha256(byte[] content) {
        return dev.castle.text.Sha256.hex(content);
    }

    /**
     * The checksums of files on disk that one write reads, each file read once: a write looks at the
     * output without the lock, again under it, and at the old files it disposes of, which are the
     * same files (renamed, or linked from the new tree) unless someone changed them meanwhile. A file
     * is the same when its inode, size and modification time are; the memory lasts one write.
     */
    static final class OnDisk {
        private record Identity(Object fileKey, long size, java.time.Instant modified) {
        }

        private final Map<Identity, String> read = new java.util.concurrent.ConcurrentHashMap<>();

        /** The SHA-256 of a regular file whose attributes were just read. */
        String sha256(Path file, BasicFileAttributes attrs) throws IOException {
            if (attrs.fileKey() == null) {
                return Checksums.sha256(file);
            }
            Identity identity = new Identity(attrs.fileKey(), attrs.size(), attrs.lastModifiedTime().toInstant());
            String known = read.get(identity);
            if (known == null) {
                known = Checksums.sha256(file);
                read.put(identity, known);
            }
            return known;
        }
    }

    /** The SHA-256 of a regular file, read in blocks (a planted file may be larger than memory). */
    static String sha256(Path file) throws IOException {
        MessageDigest digest = dev.castle.text.Sha256.digest();
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
