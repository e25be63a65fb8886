package dev.duplex.scan;

import dev.duplex.tree.RelPath;

/** A duplex temp file found in a destination by the scan: left by an interrupted run, to be removed. */
public record StaleTemp(int destination, RelPath path) {}
