package dev.duplex.bisync;

import dev.duplex.tree.RelPath;

/** A path both sides changed (or created) with different content, waiting for its rule's mode. */
record PendingConflict(ConflictRule rule, RelPath path, Version left, Version right) {
}
