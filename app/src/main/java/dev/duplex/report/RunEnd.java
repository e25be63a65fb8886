package dev.duplex.report;

import java.time.Instant;
import java.util.Optional;

/**
 * How a run ended: when, its outcome ({@code synced}, {@code files_failed}, {@code interrupted}, {@code fatal}),
 * the exit code it returned, its counts and, for a run stopped by an error, the message.
 */
public record RunEnd(Instant ended, String outcome, int exitCode, RunCounts counts, Optional<String> error) {}
