package dev.castle.write;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One writer per output folder at a time: an exclusive lock ({@code flock}) on
 * {@code DIR/.castle/lock}, which the kernel releases when the process ends, even by kill -9. A
 * second run waits for the first and gives up after a timeout.
 *
 * <p>The lock file is removed on release, so a finished run leaves no trace. Because a waiter may
 * have opened the file before it was removed, whoever gets the lock writes a unique token into it
 * and reads the file back by its name: if the name now leads to another file (or none), the lock
 * taken was on a removed file, and it tries again. Threads of one JVM are serialised first by a
 * semaphore per folder, because the JVM refuses two locks of its own on one file.
 */
final class OutputLock implements AutoCloseable {
    static final String FILE = "lock";
    private static final Map<Path, Semaphore> IN_THIS_JVM = new ConcurrentHashMap<>();
    private static final long POLL_MILLIS = 50;

    private final Path file;
    private final Semaphore local;
    private final FileChannel channel;
    private final FileLock lock;

    private OutputLock(Path file, Semaphore local, FileChannel channel, FileLock lock) {
        this.file = file;
        this.local = local;
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock of the folder {@code recordDir} (DIR/.castle, which must exist), waiting up to {@code timeout}. */
    static OutputLock acquire(Path recordDir, Duration timeout, Consumer<String> notice) throws IOException, OutputException {
        Path file = recordDir.resolve(FILE);
        long deadline = System.nanoTime() + timeout.toNanos();
        Semaphore local = IN_THIS_JVM.computeIfAbsent(recordDir.toRealPath(), p -> new Semaphore(1));
        boolean told = false;
        try {
            if (!local.tryAcquire()) {
                notice.accept("waiting for another castle run that is writing to " + recordDir.getParent() + " ...");
                told = true;
                if (!local.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    throw busy(recordDir, timeout, file);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OutputException("interrupted while waiting for the lock on " + recordDir.getParent());
        }
        try {
            String token = ProcessHandle.current().pid() + " " + UUID.randomUUID() + "\n";
            while (true) {
                FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS);
                FileLock lock = channel.tryLock();
                if (lock != null) {
                    channel.truncate(0);
                    channel.write(ByteBuffer.wrap(token.getBytes(StandardCharsets.UTF_8)), 0);
                    if (token.equals(readQuietly(file))) {
                        return new OutputLock(file, local, channel, lock);
                    }
                    lock.release();
                    channel.close();
                    continue;
                }
                channel.close();
                if (!told) {
                    notice.accept("waiting for another castle run (process " + holder(file) + ") that is writing to "
                            + recordDir.getParent() + " ...");
                    told = true;
                }
                if (System.nanoTime() > deadline) {
                    throw busy(recordDir, timeout, file);
                }
                Thread.sleep(POLL_MILLIS);
            }
        } catch (IOException | OutputException | RuntimeException e) {
            local.release();
            throw e;
        } catch (InterruptedException e) {
            local.release();
            Thread.currentThread().interrupt();
            throw new OutputException("interrupted while waiting for the lock on " + recordDir.getParent());
        }
    }

    private static OutputException busy(Path recordDir, Duration timeout, Path file) {
        return new OutputException("another castle run has been writing to " + recordDir.getParent() + " for "
                + timeout.toSeconds() + " s (process " + holder(file) + ", lock " + file
                + "); run castle again when it has finished");
    }

    private static String holder(Path file) {
        String text = readQuietly(file);
        int space = text.indexOf(' ');
        return space > 0 ? text.substring(0, space) : "unknown";
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** Removes the lock file, then releases the lock (in that order: see the class comment). */
    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a lock file left behind is harmless: the next run locks and removes it
        }
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // closing the channel releases the lock in any case
        } finally {
            local.release();
        }
    }
}
