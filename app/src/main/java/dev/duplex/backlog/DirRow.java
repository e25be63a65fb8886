package dev.duplex.backlog;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** A source directory and where it goes, with the times to apply once its files are in place. */
public record DirRow(Path sourcePath, List<Path> destPaths, Instant modified, Instant accessed) {
    public DirRow {
        destPaths = List.copyOf(destPaths);
    }
}
