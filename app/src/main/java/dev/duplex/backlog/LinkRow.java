package dev.duplex.backlog;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** A source symlink: where it goes, which destinations still need it, its target text and its own mtime. */
public record LinkRow(Path sourcePath, List<Path> destPaths, List<Integer> targets, String target, Instant modified) {
    public LinkRow {
        destPaths = List.copyOf(destPaths);
        targets = List.copyOf(targets);
    }
}
