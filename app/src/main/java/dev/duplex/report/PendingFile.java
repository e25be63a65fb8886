package dev.duplex.report;

import java.util.Optional;

/** A pending source file as {@code status} shows it: its size, how often it was tried, and its last error. */
public record PendingFile(String sourcePath, long sizeBytes, int attempts, Optional<String> error) {}
