package dev.duplex.report;

/**
 * What the engine tells the user about. The engine never prints; it calls this. Methods may be called from the
 * job thread and the reader thread; implementations must be thread-safe and must not throw.
 */
public interface TransferListener {
    /** The phases of a run, in order. */
    enum Phase { SCAN, TRANSFER, CLEANUP, DONE }

    /** A listener that ignores everything. */
    TransferListener NONE = new TransferListener() {};

    default void phaseStarted(Phase phase) {}

    /** A plain informational line (resume notice, scan result, dry-run plan lines). */
    default void notice(String message) {}

    /** Something the user should know about that does not fail the run (a skipped symlink, an unreadable dir). */
    default void warning(String message) {}

    /** One file failed; the run goes on. */
    default void fileFailed(String path, String reason) {}
}
