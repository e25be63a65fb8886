package dev.duplex.scan;

import dev.duplex.backlog.FileMetadata;
import java.io.File;

/**
 * One entry found by a walk, named by its path relative to the walked root (platform separators), kept as text:
 * the merge compares and joins millions of them, and text needs no parsing or splitting for that.
 *
 * @param metadata for directories only the times are meaningful
 */
record ScannedEntry(String relative, EntryKind kind, FileMetadata metadata) {
    /** The last name of the relative path. */
    String name() {
        return relative.substring(relative.lastIndexOf(File.separatorChar) + 1);
    }
}
