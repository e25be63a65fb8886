package dev.duplex.backlog;

/** The state db could not be read or written; the message names the db and the operation. */
public final class BacklogException extends RuntimeException {
    public BacklogException(String message, Throwable cause) {
        super(message, cause);
    }
}
