package dev.castle.publish;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes several files of one folder together or not at all: each is written beside its place
 * first (a full disk or a read-only folder fails here, before anything changed), then all are moved
 * in, in the order given; if a move fails, the files moved in are taken out again and the ones they
 * replaced are put back.
 */
final class FolderWrite {
    private FolderWrite() {
    }

    /** Writes the files (name to bytes) into the folder, moved in in this order. */
    static void write(Path folder, Map<String, byte[]> files) throws PublishException {
        Map<Path, Path> staged = new LinkedHashMap<>();
        Map<Path, Path> backups = new LinkedHashMap<>();
        List<Path> moved = new ArrayList<>();
        try {
            Files.createDirectories(folder);
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Path temp = Files.createTempFile(folder, "." + f.getKey(), ".tmp");
                staged.put(temp, folder.resolve(f.getKey()));
                Files.write(temp, f.getValue());
                readableByAll(temp);
            }
            for (Map.Entry<Path, Path> s : staged.entrySet()) {
                Path target = s.getValue();
                if (Files.exists(target)) { // kept aside (a second name for the same file) until all is in place
                    Path backup = Files.createTempFile(folder, "." + target.getFileName(), ".old");
                    Files.delete(backup);
                    Files.createLink(backup, target);
                    backups.put(target, backup);
                }
                Files.move(s.getKey(), target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                moved.add(target);
            }
        } catch (IOException | UnsupportedOperationException e) {
            for (Path target : moved) {
                Path backup = backups.get(target);
                quietly(() -> backup == null ? Files.deleteIfExists(target)
                        : Files.move(backup, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE));
            }
            backups.values().forEach(backup -> quietly(() -> Files.deleteIfExists(backup)));
            staged.keySet().forEach(temp -> quietly(() -> Files.deleteIfExists(temp)));
            throw new PublishException("cannot write to " + folder + " (nothing was changed): "
                    + (e instanceof IOException io ? PublishException.reason(io) : e.getMessage()));
        }
        backups.values().forEach(backup -> quietly(() -> Files.deleteIfExists(backup)));
    }

    private static void readableByAll(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the default permissions stay
        }
    }

    private interface IoAction {
        Object run() throws IOException;
    }

    private static void quietly(IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            // best effort while undoing a failed write; the first error is the one reported
        }
    }
}
