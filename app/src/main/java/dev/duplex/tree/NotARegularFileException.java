package dev.duplex.tree;

import java.io.IOException;

/** An entry that is not (or no longer) a regular file where one was expected. */
public final class NotARegularFileException extends IOException {
    public NotARegularFileException(String name) {
        super(name + " is no longer a regular file");
    }
}
