package dev.duplex.job;

import dev.duplex.backlog.BacklogStore;
import dev.duplex.report.AuditLog;
import dev.duplex.report.TransferListener;
import dev.duplex.report.TransferStats;
import dev.duplex.transfer.CommitSink;
import dev.duplex.transfer.FileTicket;
import dev.duplex.digest.HashAlgorithm;
import java.time.Clock;
import java.util.Optional;

/**
 * Records each file's result: the db row, the audit line, the counters, and a line for the user on failure.
 * Audit lines are flushed before each db commit, so the audit log is never behind the db. Job thread only.
 */
final class OutcomeRecorder implements CommitSink {
    static final java.time.Duration COMMIT_INTERVAL = java.time.Duration.ofMillis(500);

    private final BacklogStore store;
    private final AuditLog audit;
    private final TransferStats stats;
    private final TransferListener listener;
    private final HashAlgorithm algorithm;
    private final Clock clock;
    private final int maxDestinationFailuresInARow;
    private int destinationFailuresInARow;
    private java.time.Instant lastCommit;

    OutcomeRecorder(BacklogStore store, AuditLog audit, TransferStats stats, TransferListener listener,
                    HashAlgorithm algorithm, Clock clock, int maxDestinationFailuresInARow) {
        this.store = store;
        this.audit = audit;
        this.stats = stats;
        this.listener = listener;
        this.algorithm = algorithm;
        this.clock = clock;
        this.maxDestinationFailuresInARow = maxDestinationFailuresInARow;
    }

    @Override
    public void prepared(FileTicket file, String hash) {
        store.markPrepared(file.path(), file.seen(), algorithm.cliName(), hash);
    }

    /** A shared job records every file prepared, checking this run's lease on it; the audit log is flushed first. */
    @Override
    public boolean beginCommit(FileTicket file, String hash, int renames) {
        if (store.shared().isEmpty()) {
            return CommitSink.super.beginCommit(file, hash, renames);
        }
        audit.flush();
        return store.markPrepared(file.path(), file.seen(), algorithm.cliName(), hash);
    }

    @Override
    public void lost(FileTicket file) {
        listener.warning(file.sourceName() + ": not committed: this host's lease on it expired (another host may copy "
                + "it); its temp files were removed");
    }

    @Override
    public void partiallyCommitted(FileTicket file, String reason) {
        audit.failed(file.sourceName(), file.destinationName(0), dest2(file),
                file.seen().sizeBytes(), reason);
        store.notePartialCommit(file.path(), reason);
        stats.failed();
        listener.fileFailed(file.sourceName(), reason);
    }

    @Override
    public void synced(FileTicket file, String hash) {
        long size = file.seen().sizeBytes();
        audit.synced(file.sourceName(), file.destinationName(0), dest2(file), size,
                algorithm.cliName(), hash);
        store.markSynced(file.path(), file.seen(), algorithm.cliName(), hash, clock.instant());
        stats.copied(size);
        destinationFailuresInARow = 0;
    }

    /**
     * Records the failure; after {@code maxDestinationFailuresInARow} destination failures in a row (a full disk,
     * a share gone read-only) the run stops with a clear message instead of failing every file in turn.
     */
    @Override
    public void failed(FileTicket file, Side side, String reason) {
        audit.failed(file.sourceName(), file.destinationName(0), dest2(file),
                file.seen().sizeBytes(), reason);
        store.markFailed(file.path(), reason);
        stats.failed();
        listener.fileFailed(file.sourceName(), reason);
        destinationFailuresInARow = side == Side.DESTINATION ? destinationFailuresInARow + 1 : 0;
        if (maxDestinationFailuresInARow > 0 && destinationFailuresInARow >= maxDestinationFailuresInARow) {
            audit.flush();
            store.commit();
            throw JobFailure.fatal("stopping: " + destinationFailuresInARow + " files in a row failed on the "
                    + "destination (last: " + reason + "); fix the destination (space, permissions, a share not mounted, a daemon not running) "
                    + "and run again: the failed files are still pending");
        }
    }

    @Override
    public void vanished(FileTicket file) {
        audit.vanished(file.sourceName(), file.destinationName(0), dest2(file));
        store.dropFile(file.path());
        stats.vanished();
        listener.notice("vanished from the source: " + file.sourceName() + " (dropped from the backlog)");
    }

    @Override
    public void deferred(FileTicket file, String reason) {
        store.markDeferred(file.path(), reason);
        stats.deferred();
        listener.notice("deferred " + file.sourceName() + ": " + reason);
    }

    /**
     * Commits at most every {@link #COMMIT_INTERVAL}: a commit per small file would cost more than the copy. A crash
     * loses at most that much bookkeeping, never data: files renamed into place but not yet recorded are still
     * pending, and the next run copies them again over identical content.
     */
    @Override
    public void idle() {
        java.time.Instant now = clock.instant();
        if (lastCommit == null || !now.isBefore(lastCommit.plus(COMMIT_INTERVAL))) {
            audit.flush();
            store.commit();
            lastCommit = now;
        }
    }

    private static Optional<String> dest2(FileTicket file) {
        return file.destinationCount() > 1 ? Optional.of(file.destinationName(1)) : Optional.empty();
    }

}
