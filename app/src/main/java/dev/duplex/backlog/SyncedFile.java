package dev.duplex.backlog;

import dev.duplex.tree.RelPath;

/** A file the db records as synced: its path and the hash (in {@code algo}) of what was copied. */
public record SyncedFile(RelPath path, long sizeBytes, String algo, String hash) {}
