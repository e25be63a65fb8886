package dev.duplex.backlog;

import java.nio.file.Path;
import java.util.List;

/**
 * One row of the {@code files} table as the transfer phase needs it: where the file comes from, where it goes
 * (one path per destination), and the metadata seen by the last scan.
 */
public record FileRow(Path sourcePath, List<Path> destPaths, FileMetadata metadata) {
    public FileRow {
        destPaths = List.copyOf(destPaths);
    }
}
