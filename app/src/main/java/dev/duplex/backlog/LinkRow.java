package dev.duplex.backlog;

import dev.duplex.tree.RelPath;
import java.time.Instant;
import java.util.List;

/** A source symlink: which destinations still need it, its target text and its own mtime. */
public record LinkRow(RelPath path, List<Integer> targets, String target, Instant modified) {
    public LinkRow {
        targets = List.copyOf(targets);
    }
}
