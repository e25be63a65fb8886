package dev.duplex.job;

import dev.duplex.backlog.BacklogStore;
import dev.duplex.backlog.ClaimedRows;
import dev.duplex.backlog.SharedBacklog;
import dev.duplex.report.AuditLog;
import dev.duplex.report.HumanUnits;
import dev.duplex.report.TransferListener;
import dev.duplex.report.TransferListener.Phase;
import dev.duplex.report.TransferStats;
import dev.duplex.transfer.PipelineSettings;
import dev.duplex.transfer.TransferPipeline;
import dev.duplex.tree.Roots;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The transfer of one host on a shared job: claim, copy and commit until nothing is claimable; then, while other
 * hosts still hold files or have files mid-commit, look again every poll interval (a dead host's files become
 * claimable when its lease expires; a dead host's prepared files are rolled forward or back here). Ends when the
 * shared backlog has no untried file and none mid-commit. Job thread.
 */
final class SharedTransfer {
    private final SyncOptions options;
    private final Roots roots;
    private final TransferListener listener;
    private final TransferStats stats;
    private final Clock clock;

    SharedTransfer(SyncOptions options, Roots roots, TransferListener listener, TransferStats stats, Clock clock) {
        this.options = options;
        this.roots = roots;
        this.listener = listener;
        this.stats = stats;
        this.clock = clock;
    }

    void run(SharedBacklog shared, BacklogStore store, AuditLog audit, Duration poll) throws InterruptedException {
        SharedDb db = options.shared().orElseThrow();
        listener.phaseStarted(Phase.TRANSFER);
        PipelineSettings settings = SyncJob.pipelineSettings(options, roots, clock);
        OutcomeRecorder recorder = new OutcomeRecorder(store, audit, stats, listener, options.checksum(), clock,
                options.maxDestinationFailuresInARow());
        ClaimedRows.Observer notices = SharedSync.takeOverNotices(listener);
        boolean toldWaiting = false;
        while (true) {
            if (shared.takeOverPrepared() > 0) {
                new PreparedRecovery(store, roots, audit, listener, clock, options.sidecar(),
                        options.markers().readySuffix()).recover();
            }
            ClaimedRows rows = shared.openClaims(db.claimFiles(), db.claimBytes(), notices);
            try {
                new TransferPipeline(settings, stats, roots).run(rows, recorder);
                audit.flush();
                store.commit(); // what this host finished is recorded before it gives back what it did not
            } finally {
                rows.close();
            }
            if (shared.leasesLost()) {
                throw new InterruptedException("leases lost");
            }
            SharedBacklog.Outstanding left = shared.outstanding();
            if (left.none()) {
                return;
            }
            if (rows.claimed() == 0) {
                if (!toldWaiting) {
                    listener.notice("nothing left to claim; waiting for the other hosts: "
                            + HumanUnits.count(left.heldByOthers()) + " files held by them, "
                            + HumanUnits.count(left.prepared()) + " being committed (taken over if a lease expires)");
                    toldWaiting = true;
                }
                TimeUnit.MILLISECONDS.sleep(poll.toMillis());
            }
        }
    }
}
