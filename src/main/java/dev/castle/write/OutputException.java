package dev.castle.write;

/**
 * A problem of the output folder or of the machine, not of castle: a path castle refuses to touch
 * because it did not write it, a folder it cannot write, a full disk, another run holding the lock.
 * The run exits 2; the output is as it was before the run.
 */
public final class OutputException extends Exception {
    private static final long serialVersionUID = 1L;

    public OutputException(String message) {
        super(message);
    }

    public OutputException(String message, Throwable cause) {
        super(message, cause);
    }
}
