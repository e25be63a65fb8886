package dev.duplex.backlog;

import java.nio.file.Path;
import java.util.List;

/** A file the db records as synced: where its copies are and the hash (in {@code algo}) of what was copied. */
public record SyncedFile(Path sourcePath, List<Path> destPaths, long sizeBytes, String algo, String hash) {

    public SyncedFile {
        destPaths = List.copyOf(destPaths);
    }
}
