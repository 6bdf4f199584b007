package dev.castle.publish;

import java.io.IOException;
import java.nio.file.FileSystemException;

/** A problem with the user's chart, archive, repository, registry or key: reported as is, exit status 2. */
public final class PublishException extends Exception {
    private static final long serialVersionUID = 1L;

    public PublishException(String message) {
        super(message);
    }

    public PublishException(String message, Throwable cause) {
        super(message, cause);
    }

    /** What went wrong with a file, in words: the path and the system's reason ("Permission denied", "No space left on device"). */
    public static String reason(IOException e) {
        if (e instanceof FileSystemException f) {
            String why = f.getReason() != null ? f.getReason() : e instanceof java.nio.file.AccessDeniedException
                    ? "permission denied" : e instanceof java.nio.file.NoSuchFileException ? "no such file or folder"
                    : f.getClass().getSimpleName().replace("Exception", "");
            return f.getFile() + ": " + why + (f.getOtherFile() != null ? " (" + f.getOtherFile() + ")" : "");
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
