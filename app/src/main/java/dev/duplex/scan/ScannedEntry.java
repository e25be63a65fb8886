package dev.duplex.scan;

import dev.duplex.backlog.FileMetadata;
import java.nio.file.Path;

/**
 * One entry found by a walk, named by its path relative to the walked root.
 *
 * @param metadata for directories only the times are meaningful
 */
record ScannedEntry(Path relative, EntryKind kind, FileMetadata metadata) {}
