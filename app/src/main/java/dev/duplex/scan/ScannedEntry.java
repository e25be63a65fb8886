package dev.duplex.scan;

import dev.duplex.backlog.FileMetadata;
import java.io.File;

/**
 * One entry found by a walk, named by its path relative to the walked root (platform separators), kept as text:
 * the merge compares and joins millions of them, and text needs no parsing or splitting for that.
 *
 * @param metadata for directories only the times are meaningful
 * @param excluded the filters leave it out (a source file outside the size bounds, which the source still has; or,
 *     in a destination walked for {@code --delete-excluded}, an entry the rules exclude, or one below such a
 *     directory)
 * @param marked a destination file whose ready marker ({@code NAME<SUFFIX>}) is beside it
 */
record ScannedEntry(String relative, EntryKind kind, FileMetadata metadata, boolean excluded, boolean marked) {
    ScannedEntry(String relative, EntryKind kind, FileMetadata metadata) {
        this(relative, kind, metadata, false, false);
    }

    /** The last name of the relative path. */
    String name() {
        return relative.substring(relative.lastIndexOf(File.separatorChar) + 1);
    }
}
