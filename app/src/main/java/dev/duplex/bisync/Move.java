package dev.duplex.bisync;

import dev.duplex.tree.RelPath;

/** A file one side renamed or moved since the last run: {@code from} is gone, {@code to} is the same file. */
record Move(Side side, RelPath from, RelPath to) {
}
