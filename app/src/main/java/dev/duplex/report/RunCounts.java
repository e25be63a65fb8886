package dev.duplex.report;

/**
 * What one run did, as recorded in the {@code runs} table.
 *
 * @param pendingFiles files still pending in the db when the run ended (failed or deferred ones)
 * @param averageBytesPerSecond bytes copied divided by the run's whole duration
 */
public record RunCounts(long filesCopied, long bytesCopied, long filesSkipped, long filesFailed, long filesDeferred,
                        long filesDeleted, long pendingFiles, double averageBytesPerSecond) {}
