package dev.duplex.backlog;

import dev.duplex.tree.RelPath;
import java.time.Instant;

/** A source directory, with the times to apply in the destinations once its files are in place. */
public record DirRow(RelPath path, Instant modified, Instant accessed) {}
