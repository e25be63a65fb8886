package dev.duplex.backlog;

/**
 * Rows handed out for copying that stay held by this run until the transfer is done with them (a shared job's
 * claims): told when each one is, so that a host claims more only as it finishes what it holds.
 */
public interface HeldRows {
    /** The transfer is done with {@code row} (copied, failed, deferred or vanished). */
    void settled(FileRow row);
}
