package dev.duplex.backlog;

/** A number of files and their total size. */
public record BacklogCounts(long files, long bytes) {}
