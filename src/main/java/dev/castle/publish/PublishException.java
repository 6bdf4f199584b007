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
            String why = f.getReason() != null ? f.getReason() : switch (f.getClass().getSimpleName()) {
                case "AccessDeniedException" -> "permission denied";
                case "NoSuchFileException" -> "no such file or folder";
                case "FileAlreadyExistsException" -> "already exists";
                case "NotDirectoryException" -> "not a folder";
                case "DirectoryNotEmptyException" -> "a folder that is not empty";
                default -> f.getClass().getSimpleName();
            };
            return f.getFile() + ": " + why + (f.getOtherFile() != null ? " (" + f.getOtherFile() + ")" : "");
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
