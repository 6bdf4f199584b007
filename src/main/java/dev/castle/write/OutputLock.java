package dev.castle.write;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One writer per output folder at a time: an exclusive lock on {@code DIR/.castle/lock}, which
 * the kernel releases when the process ends, even by kill -9. A second run waits for the first
 * and gives up after a timeout.
 *
 * <p>The lock file stays (empty) between runs: removing it on release would let a waiter that
 * opened it just before lock a file that no longer has a name, beside a third run locking a new
 * one. The holder writes its process id into it for the message of a waiting run, and empties
 * it on release. The lock is a POSIX record lock, which a process loses when it closes any
 * descriptor of the file: castle never opens the file otherwise while it holds the lock, and
 * threads of one JVM are serialised first by a semaphore per folder (the JVM also refuses two
 * locks of its own on one file).
 */
final class OutputLock implements AutoCloseable {
    static final String FILE = "lock";
    private static final Map<Path, Semaphore> IN_THIS_JVM = new ConcurrentHashMap<>();
    private static final long POLL_MILLIS = 50;

    private final Semaphore local;
    private final FileChannel channel;
    private final FileLock lock;

    private OutputLock(Semaphore local, FileChannel channel, FileLock lock) {
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
                    throw busy(recordDir, timeout, "in this process");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OutputException("interrupted while waiting for the lock on " + recordDir.getParent());
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
            while (true) {
                FileLock lock = channel.tryLock();
                if (lock != null) {
                    channel.truncate(0);
                    channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
                    return new OutputLock(local, channel, lock);
                }
                if (!told) {
                    notice.accept("waiting for another castle run (process " + holder(channel) + ") that is writing to "
                            + recordDir.getParent() + " ...");
                    told = true;
                }
                if (System.nanoTime() > deadline) {
                    throw busy(recordDir, timeout, "process " + holder(channel));
                }
                Thread.sleep(POLL_MILLIS);
            }
        } catch (IOException | OutputException | RuntimeException e) {
            closeQuietly(channel);
            local.release();
            throw e;
        } catch (InterruptedException e) {
            closeQuietly(channel);
            local.release();
            Thread.currentThread().interrupt();
            throw new OutputException("interrupted while waiting for the lock on " + recordDir.getParent());
        }
    }

    private static OutputException busy(Path recordDir, Duration timeout, String holder) {
        return new OutputException("another castle run (" + holder + ") has been writing to " + recordDir.getParent()
                + " for " + timeout.toSeconds() + " s; run castle again when it has finished");
    }

    /** The process id the holder wrote, read through the waiter's own channel (never a second descriptor). */
    private static String holder(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(32);
            int n = channel.read(buffer, 0);
            String text = n > 0 ? new String(buffer.array(), 0, n, StandardCharsets.UTF_8).strip() : "";
            return text.matches("[0-9]+") ? text : "unknown";
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // closing releases the lock in any case
            }
        }
    }

    /** Empties the lock file and releases the lock. */
    @Override
    public void close() {
        try {
            channel.truncate(0);
            lock.release();
        } catch (IOException e) {
            // closing the channel below releases the lock in any case
        } finally {
            closeQuietly(channel);
            local.release();
        }
    }
}
