package dev.castle.write;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The whole output of a run (every root folder and the checksum record) replaced as one
 * transaction, in {@code DIR/.castle/transaction/}, so that it survives kill -9 at any instant
 * and a full disk:
 *
 * <ol>
 * <li>stage: the new roots under {@code new/}, the new record as {@code new-record}, and under
 *     {@code owned} the checksums of the old files castle may delete. A failure here (a full disk)
 *     or a kill leaves the old output untouched; the staging is removed (by the next run, after a
 *     kill).</li>
 * <li>commit: {@code journal} appears by an atomic rename; from here on the run is completed, by
 *     this process or by the next run after a kill.</li>
 * <li>apply: per root, the old folder moves to {@code old/} and the staged one into place; then
 *     the record is renamed over the old one. Every step can be repeated, so completing a killed
 *     run simply applies again what is still staged. Only renames happen here: no data is
 *     written, so a full disk cannot stop it half-way; if a rename fails anyway, this process
 *     moves everything back.</li>
 * <li>dispose: the old files are deleted, but only those listed in {@code owned} with the same
 *     checksum; anything else found there (a file someone wrote while castle was working) is
 *     moved to {@code DIR/.castle/kept-<time>/} and reported.</li>
 * </ol>
 * Nothing is fsync'ed: the guarantees hold for a process that dies (kill -9, out of memory) and for
 * a full disk, which is what castle promises. Surviving a power cut as well would need an fsync of
 * every staged file (measured: 0.2 to 1.5 s more for the shop's 320 files on a shared disk).
 */
final class Transaction {
    static final String FOLDER = "transaction";
    private static final String JOURNAL = "journal";
    private static final String HEADER = "castle transaction 1";

    private final Path outputDir;
    private final Path recordDir;
    private final Path dir;
    private final Steps steps;
    private final Consumer<String> notice;
    /** The checksums of the old files this write has read already. */
    private final Checksums.OnDisk onDisk;

    Transaction(Path outputDir, Steps steps, Consumer<String> notice, Checksums.OnDisk onDisk) {
        this.onDisk = onDisk;
        this.outputDir = outputDir;
        this.recordDir = outputDir.resolve(OutputWriter.RECORD_DIR);
        this.dir = recordDir.resolve(FOLDER);
        this.steps = steps;
        this.notice = notice;
    }

    /** Whether a killed run left its transaction behind (committed or not). */
    boolean pending() {
        return Files.exists(dir, LinkOption.NOFOLLOW_LINKS);
    }

    /** Whether a killed run got past its commit point: its output is half in place until completed. */
    boolean committed() {
        return Files.exists(dir.resolve(JOURNAL), LinkOption.NOFOLLOW_LINKS);
    }

    /** Completes the transaction of a run killed after its commit point, or removes one killed before it. */
    void recover() throws IOException {
        if (!pending()) {
            return;
        }
        if (committed()) {
            Journal journal = Journal.read(dir.resolve(JOURNAL));
            apply(journal);
            notice.accept("completed the write of " + journal.record + " that an interrupted castle run had started in "
                    + outputDir);
        } else {
            notice.accept("removed the staging folder an interrupted castle run left (" + dir + "); the output is complete");
        }
        dispose();
    }

    /**
     * Writes {@code files} as the new content of {@code roots}, with {@code record} as the new record.
     * A file in {@code unchanged} (on disk, as the inspection under the lock read it, with the same
     * content) is staged as a hard link to the file in place, not written anew: a regenerate after a
     * small change then creates no file and, once the old tree is disposed of, frees none (on ext4
     * without a journal, creating a file skips every inode freed in the last 30 seconds, one by one:
     * a regenerate of 1,000 services right after another took 7 to 9 s instead of 3). Where the file
     * system refuses a link, the file is written.
     */
    void run(String recordName, List<String> roots, Map<String, byte[]> files, Map<String, String> record,
             Map<String, String> owned, java.util.Set<String> unchanged) throws IOException {
        Journal journal = new Journal(recordName, roots);
        try {
            steps.at("begin");
            Files.createDirectory(dir);
            Path staged = dir.resolve("new");
            Files.createDirectory(staged);
            // Each folder made once: createDirectories of a folder that exists is a failed mkdir, 9% of the
            // samples of generate --no-kustomize of 1,000 services (20,000 files in 3,000 folders).
            java.util.Set<Path> folders = new java.util.HashSet<>();
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                String path = file.getKey();
                if (roots.stream().noneMatch(root -> path.startsWith(root + "/"))) {
                    throw new IllegalArgumentException(path + " lies outside the roots " + roots);
                }
                steps.at("stage " + path);
                Path target = staged.resolve(path);
                if (folders.add(target.getParent())) {
                    Files.createDirectories(target.getParent());
                }
                if (!unchanged.contains(path) || !link(target, outputDir.resolve(path))) {
                    writeNew(target, file.getValue());
                }
            }
            steps.at("stage record");
            writeNew(dir.resolve("new-record"), Checksums.format(record));
            steps.at("stage owned");
            writeNew(dir.resolve("owned"), Checksums.format(owned));
            steps.at("commit");
            Path temp = dir.resolve(JOURNAL + ".tmp");
            writeNew(temp, journal.text().getBytes(StandardCharsets.UTF_8));
            steps.at("commit rename");
            Files.move(temp, dir.resolve(JOURNAL), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            abandon(e);
            throw e;
        }
        try {
            apply(journal);
        } catch (IOException | RuntimeException e) {
            undo(journal, e);
            throw e;
        }
        try {
            dispose();
        } catch (IOException | RuntimeException e) {
            notice.accept("could not remove " + dir + " after writing (" + e.getMessage() + "); the next run removes it");
        }
    }

    /** Applies a committed journal; repeatable from any point it stopped at. */
    private void apply(Journal journal) throws IOException {
        for (String root : journal.roots) {
            Path staged = dir.resolve("new").resolve(root);
            if (!Files.exists(staged, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            Path target = outputDir.resolve(root);
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                steps.at("move-out " + root);
                Path old = dir.resolve("old").resolve(root);
                Files.createDirectories(old.getParent());
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            }
            steps.at("move-in " + root);
            Files.createDirectories(target.getParent());
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
        }
        Path record = dir.resolve("new-record");
        if (Files.exists(record, LinkOption.NOFOLLOW_LINKS)) {
            steps.at("record");
            Files.move(record, recordDir.resolve(journal.record + ".sha256"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** A rename failed after the commit, in this process: puts the old roots back and forgets the journal. */
    private void undo(Journal journal, Exception cause) {
        try {
            for (int i = journal.roots.size() - 1; i >= 0; i--) {
                String root = journal.roots.get(i);
                Path staged = dir.resolve("new").resolve(root);
                Path target = outputDir.resolve(root);
                Path old = dir.resolve("old").resolve(root);
                if (!Files.exists(staged, LinkOption.NOFOLLOW_LINKS) && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(staged.getParent());
                    Files.move(target, staged, StandardCopyOption.ATOMIC_MOVE);
                }
                if (Files.exists(old, LinkOption.NOFOLLOW_LINKS) && !Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
                }
            }
            Files.delete(dir.resolve(JOURNAL));
        } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
            notice.accept("could not undo an unfinished write in " + outputDir + " (" + e.getMessage()
                    + "); the next castle run completes it");
            return;
        }
        abandon(cause);
    }

    /** Removes the staging of a transaction that did not commit, after a failure in this process. */
    private void abandon(Exception cause) {
        try {
            if (pending() && !committed()) {
                dispose();
            }
        } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
            notice.accept("could not remove " + dir + " (" + e.getMessage() + "); the next castle run removes it");
        }
    }

    /**
     * Deletes the transaction folder: the old roots only where castle owns every file (anything
     * else moves to a kept folder), then the journal, then the staging that is left.
     */
    private void dispose() throws IOException {
        Path old = dir.resolve("old");
        if (Files.exists(old, LinkOption.NOFOLLOW_LINKS)) {
            steps.at("dispose old");
            Path ownedFile = dir.resolve("owned");
            Map<String, String> owned = Files.isRegularFile(ownedFile, LinkOption.NOFOLLOW_LINKS)
                    ? Checksums.read(ownedFile) : Map.of();
            deleteOwned(old, owned, onDisk);
            if (Files.exists(old, LinkOption.NOFOLLOW_LINKS)) {
                Path kept = recordDir.resolve("kept-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")));
                Files.move(old, kept, StandardCopyOption.ATOMIC_MOVE);
                notice.accept("files appeared in the output while castle was writing it; castle did not write them and kept"
                        + " them in " + kept);
            }
        }
        steps.at("dispose journal");
        Files.deleteIfExists(dir.resolve(JOURNAL));
        steps.at("dispose staging");
        deleteTree(dir);
    }

    /** Deletes the regular files under {@code old} that {@code owned} lists with their checksum, and the folders left empty. */
    private static void deleteOwned(Path old, Map<String, String> owned, Checksums.OnDisk onDisk) throws IOException {
        delete(old, (file, attrs) -> attrs.isRegularFile()
                && onDisk.sha256(file, attrs).equals(owned.get(Inspection.relative(old, file))));
    }

    /** Deletes castle's own staging folder; symbolic links inside are removed, never followed. */
    private static void deleteTree(Path root) throws IOException {
        if (Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            delete(root, (file, attrs) -> true);
        }
    }

    /** Which entries (other than folders) to delete. */
    private interface Deletable {
        boolean test(Path file, BasicFileAttributes attrs) throws IOException;
    }

    /** Deletes the entries under {@code root} that pass, without following links, and every folder left empty. */
    private static void delete(Path root, Deletable deletable) throws IOException {
        Files.walkFileTree(root, EnumSet.noneOf(FileVisitOption.class), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (deletable.test(file, attrs)) {
                    Files.delete(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path folder, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
                    if (!entries.iterator().hasNext()) {
                        Files.delete(folder);
                    }
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * A hard link at {@code link} to the regular file {@code existing}; false where the file system
     * has none (or refuses this one: another device, too many links), so that the caller writes it.
     */
    private static boolean link(Path link, Path existing) throws IOException {
        if (!Files.isRegularFile(existing, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try {
            Files.createLink(link, existing);
            return true;
        } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
            return false;
        }
    }

    /** Writes a new file; a failure names the file (Java's plain IOException of a write does not). */
    private static void writeNew(Path file, byte[] content) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (java.nio.file.FileSystemException e) {
            throw e;
        } catch (IOException e) {
            throw new java.nio.file.FileSystemException(file.toString(), null, e.getMessage());
        }
    }

    /** The commit record: which roots and which record the transaction replaces. */
    private record Journal(String record, List<String> roots) {
        String text() {
            StringBuilder text = new StringBuilder(HEADER).append('\n').append("record\t").append(record).append('\n');
            roots.forEach(root -> text.append("root\t").append(root).append('\n'));
            return text.toString();
        }

        static Journal read(Path file) throws IOException {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
                throw new IOException(file + " is not a castle transaction journal");
            }
            String record = null;
            List<String> roots = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                String[] parts = line.split("\t", 2);
                if (parts.length == 2 && parts[0].equals("record")) {
                    record = parts[1];
                } else if (parts.length == 2 && parts[0].equals("root")) {
                    roots.add(parts[1]);
                }
            }
            if (record == null || roots.isEmpty() || !OutputWriter.isPlainName(record)
                    || !roots.stream().allMatch(OutputWriter::isRelativeFolder)) {
                throw new IOException(file + " is not a complete castle transaction journal");
            }
            return new Journal(record, List.copyOf(roots));
        }
    }
}
