package dev.duplex.tree;

/**
 * How one walk went.
 *
 * @param unreadable directories that could not be listed and entries that could not be read
 * @param excludedFiles files the filters left out (with their bytes), directories they kept the walk out of
 */
public record WalkResult(long unreadable, long excludedFiles, long excludedBytes, long excludedDirectories) {}
