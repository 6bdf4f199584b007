package dev.castle.write;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Last stage: writes a run's output (its root folders, such as {@code shop/} and
 * {@code kustomize/shop/}, and the checksum record {@code .castle/<system>.sha256}) under the
 * output folder as one transaction ({@link Transaction}): all of it becomes visible, or none of it.
 * <ul>
 * <li>One writer per output folder at a time ({@link OutputLock}); a second run waits.</li>
 * <li>A file castle wrote (by the record) and that was changed by hand since is overwritten only
 * when forced. Anything castle did not write, where its output goes, is never deleted nor
 * replaced, forced or not: files, links, FIFOs, folders, a file or a link in place of a root.</li>
 * <li>Every failure of the disk or the machine is an {@link OutputException} that says which path
 * and why; the previous output is then complete and still recognised as castle's.</li>
 * </ul>
 */
public final class OutputWriter {
    public static final String RECORD_DIR = ".castle";
    static final Duration LOCK_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    /** What every writer made by the public constructor calls at each step; only tests set it. */
    static volatile Steps hook = Steps.NONE;

    private final Path outputDir;
    private final Consumer<String> notice;
    private final Steps steps;
    private final Duration lockTimeout;

    /** @param notice receives what the user should know and that is not an error (waiting, recovering) */
    public OutputWriter(Path outputDir, Consumer<String> notice) {
        this(outputDir, notice, null, LOCK_TIMEOUT);
    }

    /** @param steps called before each step on disk; {@code null} for the {@link #hook} */
    OutputWriter(Path outputDir, Consumer<String> notice, Steps steps, Duration lockTimeout) {
        this.outputDir = outputDir;
        this.notice = notice;
        this.steps = steps;
        this.lockTimeout = lockTimeout;
    }

    private Steps steps() {
        return steps != null ? steps : hook;
    }

    /**
     * What {@link #write} would do, read without a lock and without changing anything (for a dry
     * run). Refuses when an interrupted run left the output half written.
     */
    public Changes inspect(String recordName, List<String> roots, Map<String, byte[]> files) throws OutputException {
        checkRoots(recordName, roots);
        if (new Transaction(outputDir, steps(), notice, new Checksums.OnDisk()).committed()) {
            throw new OutputException("an interrupted castle run left " + outputDir + " half written ("
                    + outputDir.resolve(RECORD_DIR).resolve(Transaction.FOLDER)
                    + "); run castle generate without --dry-run to complete it first");
        }
        try {
            return Inspection.of(outputDir, recordName, roots, files, Checksums.of(files), new Checksums.OnDisk()).changes;
        } catch (IOException e) {
            throw new OutputException("cannot read the output folder " + outputDir + ": " + reason(e, outputDir), e);
        }
    }

    /**
     * Replaces {@code roots} with {@code files} and records their checksums, as one transaction,
     * unless castle must refuse (see {@link Changes#refusal}). Returns what changed: empty when
     * everything was already up to date (then nothing is written and no lock is taken).
     */
    public Changes write(String recordName, List<String> roots, Map<String, byte[]> files, boolean force)
            throws OutputException {
        checkRoots(recordName, roots);
        Checksums.OnDisk onDisk = new Checksums.OnDisk();
        Transaction transaction = new Transaction(outputDir, steps(), notice, onDisk);
        Path recordDir = outputDir.resolve(RECORD_DIR);
        boolean outputExisted = Files.exists(outputDir, LinkOption.NOFOLLOW_LINKS);
        boolean recordDirExisted = Files.exists(recordDir, LinkOption.NOFOLLOW_LINKS);
        try {
            Map<String, String> sums = Checksums.of(files);
            Inspection first = firstLook(recordName, roots, files, sums, onDisk);
            if (first != null && !transaction.pending() && first.changes.isEmpty()
                    && first.changes.refusal(outputDir, force).isEmpty()) {
                return first.changes;
            }
            if (first != null && first.changes.foreign().stream().anyMatch(f -> (f.path() + "/").startsWith(RECORD_DIR + "/"))) {
                throw new OutputException(first.changes.refusal(outputDir, force).orElseThrow());
            }
            try {
                Files.createDirectories(recordDir);
            } catch (IOException e) {
                removeIfEmpty(outputExisted, recordDirExisted);
                throw new OutputException("cannot create the folder " + recordDir + " (" + reason(e) + "); nothing was written", e);
            }
            try (OutputLock lock = OutputLock.acquire(recordDir, lockTimeout, notice)) {
                transaction.recover();
                Inspection inspection = Inspection.of(outputDir, recordName, roots, files, sums, onDisk);
                Optional<String> refusal = inspection.changes.refusal(outputDir, force);
                if (refusal.isPresent()) {
                    throw new OutputException(refusal.get());
                }
                if (!inspection.changes.isEmpty()) {
                    transaction.run(recordName, roots, files, Inspection.nextRecord(inspection.record, roots, sums),
                            inspection.owned, java.util.Set.copyOf(inspection.changes.unchanged()));
                }
                return inspection.changes;
            }
        } catch (IOException e) {
            String state = transaction.committed()
                    ? "the write was interrupted after its commit point; the next castle generate completes it"
                    : recordDirExisted ? "nothing was changed: the previous output is complete" : "no output was written";
            removeIfEmpty(outputExisted, recordDirExisted);
            throw new OutputException("cannot write to " + outputDir + ": " + reason(e, outputDir) + "; " + state, e);
        } catch (OutputException e) {
            removeIfEmpty(outputExisted, recordDirExisted);
            throw e;
        }
    }

    /**
     * A look without the lock: enough to see that nothing needs writing (then no lock is taken, so
     * an up-to-date output on a read-only disk is fine) or that castle's own folder is in the way.
     * {@code null} when it failed to read, as it may while another run moves folders: the look
     * under the lock decides then.
     */
    private Inspection firstLook(String recordName, List<String> roots, Map<String, byte[]> files, Map<String, String> sums,
                                 Checksums.OnDisk onDisk)
            throws OutputException {
        try {
            return Inspection.of(outputDir, recordName, roots, files, sums, onDisk);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Refuses input files (the descriptor, ...) that lie inside a root or the record folder: castle
     * replaces those whole, so a file there would be lost with the next run.
     */
    public void checkInputsOutside(List<String> roots, List<Path> inputs) throws OutputException {
        Path base = real(outputDir);
        List<String> owned = new ArrayList<>(roots);
        owned.add(RECORD_DIR);
        for (Path input : inputs) {
            Path file = real(input);
            for (String root : owned) {
                if (file.startsWith(base.resolve(root))) {
                    throw new OutputException(input + " lies inside " + outputDir.resolve(root) + ", which castle replaces"
                            + " whole on every run: move it out of there (for example beside " + outputDir
                            + "), or choose another output folder with -o; nothing was written");
                }
            }
        }
    }

    /**
     * After a failed first run, leaves no empty output folder behind (the record folder stays when
     * it holds the lock file, which is never removed: see {@link OutputLock}).
     */
    private void removeIfEmpty(boolean outputExisted, boolean recordDirExisted) {
        try {
            if (!recordDirExisted) {
                Files.deleteIfExists(outputDir.resolve(RECORD_DIR));
            }
            if (!outputExisted) {
                Files.deleteIfExists(outputDir);
            }
        } catch (IOException e) {
            // not empty, or not removable: left as it is
        }
    }

    /** The path with symbolic links resolved as far as it exists, the rest appended. */
    private static Path real(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return absolute;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(absolute));
        } catch (IOException e) {
            return absolute;
        }
    }

    private static void checkRoots(String recordName, List<String> roots) {
        if (!isPlainName(recordName) || roots.isEmpty()) {
            throw new IllegalArgumentException("record " + recordName + ", roots " + roots);
        }
        for (String root : roots) {
            if (!isRelativeFolder(root) || root.equals(RECORD_DIR) || root.startsWith(RECORD_DIR + "/")) {
                throw new IllegalArgumentException("not a root folder: " + root);
            }
            for (String other : roots) {
                if (!other.equals(root) && (other + "/").startsWith(root + "/")) {
                    throw new IllegalArgumentException("the root " + other + " lies inside the root " + root);
                }
            }
        }
    }

    static boolean isPlainName(String name) {
        return PLAIN_NAME.matcher(name).matches() && !name.contains("..");
    }

    static boolean isRelativeFolder(String path) {
        return !path.isEmpty() && java.util.Arrays.stream(path.split("/", -1)).allMatch(OutputWriter::isPlainName);
    }

    /**
     * What went wrong, in words, with the file named relative to {@code outputDir} when it lies there
     * (and as the file castle was writing when it lies in the staging folder).
     */
    static String reason(IOException e, Path outputDir) {
        String text = reason(e);
        if (e instanceof FileSystemException f && f.getFile() != null && f.getOtherFile() == null) {
            Path file = Path.of(f.getFile());
            Path staging = outputDir.resolve(RECORD_DIR).resolve(Transaction.FOLDER).resolve("new");
            String why = text.substring(f.getFile().length() + 2);
            if (file.equals(outputDir)) {
                return why;
            }
            if (file.startsWith(staging) && !file.equals(staging)) {
                return "while writing " + staging.relativize(file) + ": " + why;
            }
        }
        return text;
    }

    /** What went wrong with a file, in words: "/out/shop: permission denied". */
    public static String reason(IOException e) {
        if (e instanceof FileSystemException f) {
            String why = f.getReason();
            if (why == null) {
                why = e instanceof AccessDeniedException ? "permission denied"
                        : e instanceof NoSuchFileException ? "no such file or folder"
                        : e instanceof NotDirectoryException ? "not a folder"
                        : e instanceof FileAlreadyExistsException ? "already exists"
                        : e instanceof DirectoryNotEmptyException ? "folder not empty"
                        : e.getClass().getSimpleName();
            }
            String file = f.getFile() == null ? "" : f.getFile() + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile()) + ": ";
            return file + why;
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
