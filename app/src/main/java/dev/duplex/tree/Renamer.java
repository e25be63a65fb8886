package dev.duplex.tree;

import java.io.IOException;

/** A tree's optional rename: an entry gets a new path within the tree, keeping its identity (no data copied). */
@FunctionalInterface
public interface Renamer {
    /**
     * Renames {@code from} to {@code to}, creating {@code to}'s parent directories.
     *
     * @throws java.nio.file.FileAlreadyExistsException when something is at {@code to} already
     * @throws java.nio.file.NoSuchFileException when {@code from} is gone
     */
    void rename(RelPath from, RelPath to) throws IOException;
}
