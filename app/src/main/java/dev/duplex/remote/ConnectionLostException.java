package dev.duplex.remote;

import java.io.IOException;

/**
 * The connection to a daemon broke (reset, closed, timed out) before the answer came: the request may or may not
 * have been done there, so it is sent again on a new connection when it can safely be (every request of the
 * protocol can, or resumes where it stopped).
 */
public final class ConnectionLostException extends IOException {
    ConnectionLostException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether {@code t} (or its cause) is a lost connection. */
    static boolean is(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ConnectionLostException) {
                return true;
            }
        }
        return false;
    }
}
