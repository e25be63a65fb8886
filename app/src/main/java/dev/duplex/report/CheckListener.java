package dev.duplex.report;

/**
 * What {@code duplex check} finds, file by file. Called from the job thread only; implementations must not throw.
 */
public interface CheckListener {
    /** A copy whose bytes hash to what the db recorded. */
    default void matched(String path) {}

    /** A copy (or, with --against-source, the source) whose size or hash differs from the db. */
    default void mismatched(String path, String why) {}

    /** A copy the db records as synced that is not there. */
    default void missing(String path) {}

    /** A file that could not be read (so it is not verified). */
    default void unreadable(String path, String why) {}
}
