package dev.castle.write;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads what is on disk where a run's output goes, without changing anything, and sorts it: files
 * castle wrote (by the checksum record) and may replace, files it wrote that were edited by hand,
 * and everything it did not write (files, links, FIFOs, sockets, devices, folders), which it must
 * never delete. Never follows a symbolic link and never reads a file whole into memory.
 */
final class Inspection {
    final Changes changes;
    /** Files on disk castle may replace or delete (its own, and hand edits when forced), with their SHA-256 now. */
    final Map<String, String> owned;
    /** The record of the system, as read. */
    final Map<String, String> record;

    private Inspection(Changes changes, Map<String, String> owned, Map<String, String> record) {
        this.changes = changes;
        this.owned = owned;
        this.record = record;
    }

    /** {@code sums}: the SHA-256 of each of {@code files} ({@link Checksums#of}), computed once per write. */
    static Inspection of(Path outputDir, String recordName, List<String> roots, Map<String, byte[]> files,
                         Map<String, String> sums, Checksums.OnDisk diskSums) throws IOException, OutputException {
        Optional<BasicFileAttributes> top = attributes(outputDir, true);
        if (top.isPresent() && !top.get().isDirectory()) {
            throw new OutputException("the output " + outputDir + " exists and is " + what(outputDir, top.get())
                    + ", not a folder; choose another output folder with -o");
        }
        List<Changes.Foreign> foreign = new ArrayList<>();
        Path recordDir = outputDir.resolve(OutputWriter.RECORD_DIR);
        Path recordFile = recordDir.resolve(recordName + ".sha256");
        Map<String, String> record = new TreeMap<>();
        if (checkFolder(outputDir, OutputWriter.RECORD_DIR, foreign)) {
            for (String own : List.of(OutputLock.FILE, recordName + ".sha256")) {
                attributes(recordDir.resolve(own), false).filter(a -> !a.isRegularFile()).ifPresent(a ->
                        foreign.add(new Changes.Foreign(OutputWriter.RECORD_DIR + "/" + own, what(recordDir.resolve(own), a)
                                + " where castle keeps a file of its own")));
            }
            attributes(recordDir.resolve(Transaction.FOLDER), false).filter(a -> !a.isDirectory()).ifPresent(a ->
                    foreign.add(new Changes.Foreign(OutputWriter.RECORD_DIR + "/" + Transaction.FOLDER,
                            what(recordDir.resolve(Transaction.FOLDER), a) + " where castle keeps a folder of its own")));
            if (Files.isRegularFile(recordFile, LinkOption.NOFOLLOW_LINKS)) {
                record.putAll(Checksums.read(recordFile));
            }
        }
        Set<String> folders = new HashSet<>();
        for (String path : record.keySet()) {
            addParents(path, folders);
        }
        for (String path : files.keySet()) {
            addParents(path, folders);
        }
        Map<String, String> owned = new TreeMap<>();
        List<String> changed = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<String> edited = new ArrayList<>();
        Set<String> onDisk = new HashSet<>();
        boolean recorded = !record.isEmpty();
        for (String root : roots) {
            boolean fine = true;
            String[] parts = root.split("/");
            for (int i = 1; i <= parts.length && fine; i++) {
                fine = checkFolder(outputDir, String.join("/", java.util.Arrays.copyOf(parts, i)), foreign);
            }
            if (!fine || !Files.exists(outputDir.resolve(root), LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            Files.walkFileTree(outputDir.resolve(root), EnumSet.noneOf(FileVisitOption.class), Integer.MAX_VALUE,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                            String path = relative(outputDir, dir);
                            if (path.equals(root) || folders.contains(path)) {
                                return FileVisitResult.CONTINUE;
                            }
                            foreign.add(new Changes.Foreign(path, "a folder castle did not write"));
                            return FileVisitResult.SKIP_SUBTREE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                            String path = relative(outputDir, file);
                            if (!attrs.isRegularFile()) {
                                foreign.add(new Changes.Foreign(path, what(file, attrs)));
                                return FileVisitResult.CONTINUE;
                            }
                            String sum = diskSums.sha256(file, attrs);
                            byte[] next = files.get(path);
                            String recordedSum = record.get(path);
                            boolean same = next != null && next.length == attrs.size() && sums.get(path).equals(sum);
                            if (same) {
                                unchanged.add(path);
                            } else if (recordedSum == null) {
                                foreign.add(new Changes.Foreign(path, "a file castle did not write"));
                                return FileVisitResult.CONTINUE;
                            } else {
                                (next == null ? removed : changed).add(path);
                                if (!recordedSum.equals(sum)) {
                                    edited.add(path);
                                }
                            }
                            onDisk.add(path);
                            owned.put(path, sum);
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                            throw exc;
                        }
                    });
        }
        List<String> added = files.keySet().stream().filter(p -> !onDisk.contains(p)).sorted().toList();
        Map<String, String> nextRecord = nextRecord(record, roots, sums);
        Changes changes = new Changes(added, sorted(changed), sorted(removed), sorted(unchanged), sorted(edited),
                foreign.stream().sorted(java.util.Comparator.comparing(Changes.Foreign::path)).toList(),
                nextRecord.equals(record), recorded);
        return new Inspection(changes, owned, record);
    }

    /** The record after the write: the entries of other roots kept, those of the written roots replaced. */
    static Map<String, String> nextRecord(Map<String, String> record, List<String> roots, Map<String, String> sums) {
        Map<String, String> next = new TreeMap<>();
        record.forEach((path, sum) -> {
            if (roots.stream().noneMatch(root -> path.startsWith(root + "/"))) {
                next.put(path, sum);
            }
        });
        next.putAll(sums);
        return next;
    }

    /**
     * Whether {@code DIR/path} is a real folder or absent; anything else (a file, a link, a FIFO) is
     * recorded as foreign, because castle would have to replace it to write there.
     */
    private static boolean checkFolder(Path outputDir, String path, List<Changes.Foreign> foreign) throws IOException {
        Path folder = outputDir.resolve(path);
        Optional<BasicFileAttributes> attrs = attributes(folder, false);
        if (attrs.isEmpty() || attrs.get().isDirectory()) {
            return true;
        }
        foreign.add(new Changes.Foreign(path, what(folder, attrs.get()) + " where castle writes a folder"));
        return false;
    }

    private static Optional<BasicFileAttributes> attributes(Path path, boolean follow) throws IOException {
        try {
            return Optional.of(follow ? Files.readAttributes(path, BasicFileAttributes.class)
                    : Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** "a symbolic link", "a FIFO", ... for messages. */
    static String what(Path path, BasicFileAttributes attrs) {
        if (attrs.isSymbolicLink()) {
            String target;
            try {
                target = " to " + Files.readSymbolicLink(path);
            } catch (IOException | UnsupportedOperationException e) {
                target = "";
            }
            return "a symbolic link" + target;
        }
        if (attrs.isDirectory()) {
            return "a folder";
        }
        if (attrs.isRegularFile()) {
            return "a file";
        }
        try {
            int type = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000;
            switch (type) {
                case 0010000:
                    return "a FIFO";
                case 0140000:
                    return "a socket";
                case 0020000:
                    return "a character device";
                case 0060000:
                    return "a block device";
                default:
                    break;
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            // not a Unix file system: say less
        }
        return "a special file (FIFO, socket or device)";
    }

    private static void addParents(String path, Set<String> folders) {
        for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
            folders.add(path.substring(0, slash));
        }
    }

    static String relative(Path outputDir, Path path) {
        return outputDir.relativize(path).toString().replace('\\', '/');
    }

    private static List<String> sorted(List<String> paths) {
        return paths.stream().sorted().toList();
    }
}
