package dev.duplex.remote.protocol;

import dev.duplex.tree.NotARegularFileException;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.NoSuchFileException;

/** Why a request failed ({@code ERROR} frames and batch results), mapped to and from Java's exceptions. */
public enum ErrorCode {
    OK(0), NOT_FOUND(1), NOT_A_FILE(2), NOT_EMPTY(3), DENIED(4), READ_ONLY(5), IO(6), BAD_REQUEST(7);

    private final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static ErrorCode of(int code) {
        for (ErrorCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return IO;
    }

    /** The code of a failure on the server. */
    public static ErrorCode of(IOException e) {
        if (e instanceof NoSuchFileException) {
            return NOT_FOUND;
        }
        if (e instanceof NotARegularFileException) {
            return NOT_A_FILE;
        }
        if (e instanceof DirectoryNotEmptyException) {
            return NOT_EMPTY;
        }
        return IO;
    }

    /** The failure as the client's code sees it: the same exception types a local tree throws. */
    public IOException toException(String name, String message) {
        return switch (this) {
            case NOT_FOUND -> new NoSuchFileException(name, null, message);
            case NOT_A_FILE -> new NotARegularFileException(name);
            case NOT_EMPTY -> new DirectoryNotEmptyException(name);
            default -> new IOException(message);
        };
    }
}
