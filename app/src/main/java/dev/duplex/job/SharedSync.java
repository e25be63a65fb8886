package dev.duplex.job;

import dev.duplex.backlog.BacklogStore;
import dev.duplex.backlog.ClaimedRows;
import dev.duplex.backlog.SharedBacklog;
import dev.duplex.report.AuditLog;
import dev.duplex.report.HumanUnits;
import dev.duplex.report.RunSummary;
import dev.duplex.report.TransferListener;
import dev.duplex.report.TransferListener.Phase;
import dev.duplex.report.TransferStats;
import dev.duplex.transfer.PipelineSettings;
import dev.duplex.transfer.TransferPipeline;
import dev.duplex.tree.Roots;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * One host's run on a job shared through PostgreSQL. The host that gets the lead (an advisory lock) scans, when no
 * scan is under way and none has work left; the others wait for it, then every host claims batches of pending
 * files and copies them, each file committed only while its lease holds. A host with nothing left to claim waits
 * while other hosts hold files (taking them over if their leases expire), so a job whose hosts die still finishes
 * on the last one alive. The work after the transfer (links, mirror cleanup, directory times) is done once, by the
 * first host to find the backlog finished. Job thread.
 */
final class SharedSync {
    private final SyncOptions options;
    private final SharedDb db;
    private final Roots roots;
    private final TransferListener listener;
    private final TransferStats stats;
    private final Clock clock;

    SharedSync(SyncOptions options, Roots roots, TransferListener listener, TransferStats stats, Clock clock) {
        this.options = options;
        this.db = options.shared().orElseThrow();
        this.roots = roots;
        this.listener = listener;
        this.stats = stats;
        this.clock = clock;
    }

    RunSummary run(BacklogStore store, AuditLog audit, Instant start, SyncJob sync) {
        SharedBacklog shared = store.shared().orElseThrow();
        JobRoots jobRoots = new JobRoots(options, roots, listener);
        jobRoots.prepare(store);
        Thread job = Thread.currentThread();
        shared.keepLeases(() -> stats.snapshot().filesCopied(), () -> stats.snapshot().bytesCommitted(), job::interrupt);
        boolean interrupted = false;
        boolean cleanupRefused = false;
        boolean afterDoneHere = false;
        try {
            BacklogLoader loader = new BacklogLoader(options, roots, listener, stats, clock);
            leadOrJoin(shared, store, audit, loader);
            transfer(shared, store, audit);
            AfterOnce after = afterOnce(shared, store, audit, loader.deletedMakingWay());
            cleanupRefused = after.cleanupRefused();
            afterDoneHere = after.doneHere();
        } catch (InterruptedException e) {
            Thread.interrupted();
            if (shared.leasesLost()) {
                throw JobFailure.fatal("lost the job database " + db.database().describe() + ": its leases could not "
                        + "be renewed for half of --lease " + HumanUnits.seconds(db.lease()) + "; stopped claiming, "
                        + "the files in progress were abandoned (no temp files left); the files this host held go "
                        + "to the other hosts when its leases expire. Run again when the database is back.", e);
            }
            interrupted = true;
            listener.notice("interrupted: stopped; files in progress were abandoned, the rest is recorded");
        }
        RunSummary summary = sync.finish(store, audit, start, interrupted, cleanupRefused);
        if (afterDoneHere && !summary.interrupted() && !summary.hasFailures() && summary.pendingLeft() == 0) {
            jobRoots.markSuccess();
        }
        return summary;
    }

    /**
     * Scans when this host gets the lead and the job has no round under way (no scan finished, or nothing left to
     * copy of the last one); joins the round otherwise; waits while another host scans.
     */
    private void leadOrJoin(SharedBacklog shared, BacklogStore store, AuditLog audit, BacklogLoader loader)
            throws InterruptedException {
        boolean told = false;
        while (!shared.tryLead()) {
            if (!told) {
                listener.notice("waiting for " + shared.leader().orElse("another host")
                        + " to finish scanning the shared job (" + db.database().describe() + ")");
                told = true;
            }
            TimeUnit.MILLISECONDS.sleep(1000);
        }
        try {
            SharedBacklog.Outstanding o = shared.outstanding();
            boolean roundUnderWay = store.lastScanFinished() && (o.untried() > 0 || o.prepared() > 0);
            if (roundUnderWay) {
                String filters = store.settings().scannedFilters().orElse("");
                if (!filters.equals(options.filter().describe())) {
                    throw new JobFailure(JobFailure.Kind.USAGE, "the shared job " + db.database().describe()
                            + " is being copied with other filters (" + (filters.isEmpty() ? "none" : filters)
                            + "); give every host the same options");
                }
                listener.notice("joining the shared job " + db.database().describe() + ": "
                        + HumanUnits.count(o.untried()) + " files not yet copied");
                dev.duplex.backlog.BacklogCounts pending = store.pending();
                stats.backlog(pending.files(), pending.bytes(), store.synced().bytes());
                return;
            }
            recoverDeadHostsCommits(shared, store, audit);
            listener.notice("this host (" + shared.worker().name() + ") scans for the shared job "
                    + db.database().describe());
            loader.load(store, audit);
        } finally {
            shared.endLead();
        }
    }

    private record AfterOnce(boolean doneHere, boolean cleanupRefused) {}

    /** Links, mirror cleanup and directory times, once per scan, by the first host to find nothing left to copy. */
    private AfterOnce afterOnce(SharedBacklog shared, BacklogStore store, AuditLog audit, long deletedMakingWay)
            throws InterruptedException {
        while (!shared.tryLead()) {
            TimeUnit.MILLISECONDS.sleep(pollInterval().toMillis());
        }
        try {
            long scanId = store.scanId();
            if (shared.afterTransferDone(scanId) || !shared.outstanding().none()) {
                return new AfterOnce(false, false);
            }
            AfterTransfer after = new AfterTransfer(options, roots, listener, stats);
            after.makeLinks(store, audit);
            boolean refused = options.deleteExtras() && after.deleteExtras(store, audit, deletedMakingWay);
            after.finishDirectories(store);
            shared.markAfterTransferDone(scanId);
            return new AfterOnce(true, refused);
        } finally {
            shared.endLead();
        }
    }

    /**
     * This host's transfer: claim, copy and commit until nothing is claimable; then, while other hosts still hold
     * files or have files mid-commit, look again every poll interval (a dead host's files become claimable when its
     * lease expires). Ends when the shared backlog has no untried file and none mid-commit.
     */
    private void transfer(SharedBacklog shared, BacklogStore store, AuditLog audit) throws InterruptedException {
        listener.phaseStarted(Phase.TRANSFER);
        PipelineSettings settings = SyncJob.pipelineSettings(options, roots, clock);
        OutcomeRecorder recorder = new OutcomeRecorder(store, audit, stats, listener, options.checksum(), clock,
                options.maxDestinationFailuresInARow());
        ClaimedRows.Observer notices = takeOverNotices();
        boolean toldWaiting = false;
        while (true) {
            recoverDeadHostsCommits(shared, store, audit);
            ClaimedRows rows = shared.openClaims(notices);
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
                TimeUnit.MILLISECONDS.sleep(pollInterval().toMillis());
            }
        }
    }

    /** Files a dead host left mid-commit (prepared, lease expired) become this run's and are rolled forward or back. */
    private void recoverDeadHostsCommits(SharedBacklog shared, BacklogStore store, AuditLog audit) {
        if (shared.takeOverPrepared() > 0) {
            new PreparedRecovery(store, roots, audit, listener, clock, options.sidecar(),
                    options.markers().readySuffix()).recover();
        }
    }

    /** How often a host with nothing to claim looks again: a quarter lease, between 0.1 and 2 seconds. */
    private Duration pollInterval() {
        long ms = Math.max(100, Math.min(2000, db.lease().toMillis() / 4));
        return Duration.ofMillis(ms);
    }

    /** Tells the user about files taken over from a host whose lease expired, once per host. */
    private ClaimedRows.Observer takeOverNotices() {
        java.util.Set<String> told = java.util.concurrent.ConcurrentHashMap.newKeySet();
        return (path, from) -> {
            if (told.add(from)) {
                listener.notice("taking over the files of " + from + " (its lease expired: it stopped or lost the "
                        + "database), starting with " + path);
            }
        };
    }
}
