package dev.castle.publish;

/** A problem with the user's chart, archive, repository or credentials: reported as is, exit status 2. */
public final class PublishException extends Exception {
    private static final long serialVersionUID = 1L;

    public PublishException(String message) {
        super(message);
    }

    public PublishException(String message, Throwable cause) {
        super(message, cause);
    }
}
