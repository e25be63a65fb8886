package dev.duplex.job;

import dev.duplex.backlog.BacklogStore;
import dev.duplex.backlog.BacklogStores;
import dev.duplex.backlog.PathNames;
import dev.duplex.backlog.PendingRows;
import dev.duplex.backlog.SharedBacklog;
import dev.duplex.report.AuditLog;
import dev.duplex.report.RunSummary;
import dev.duplex.report.TransferListener;
import dev.duplex.report.TransferListener.Phase;
import dev.duplex.report.TransferStats;
import dev.duplex.transfer.BandwidthLimiter;
import dev.duplex.transfer.PipelineSettings;
import dev.duplex.transfer.RetryPolicy;
import dev.duplex.transfer.SourceAccess;
import dev.duplex.transfer.TransferPipeline;
import dev.duplex.tree.Roots;
import dev.duplex.tree.StatThreads;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One sync run, phase by phase: lock the job, load the backlog (resume it, or scan), transfer, make links, clean up
 * extras, finish directories, summarise. Dry runs go to {@link DryRun}.
 */
public final class SyncJob {
    private final SyncOptions options;
    private final TransferListener listener;
    private final TransferStats stats;
    private final Clock clock;

    public SyncJob(SyncOptions options, TransferListener listener, TransferStats stats, Clock clock) {
        this.options = options;
        this.listener = listener;
        this.stats = stats;
        this.clock = clock;
    }

    public RunSummary run() throws InterruptedException {
        Instant start = clock.instant();
        options.source().localPath().ifPresent(SourceRoot::check);
        // a shared job's database is reached first: unreachable, it stops the run before any root is touched
        options.shared().ifPresent(shared -> BacklogStores.probe(shared.database()));
        try (StatThreads statThreads = new StatThreads(options.scanThreads());
             Roots roots = JobTrees.open(options, statThreads)) {
            if (options.source().localPath().isEmpty()) {
                SourceRoot.check(roots.source());
            }
            if (options.dryRun()) {
                return new DryRun(options, roots, listener, stats).run(start, clock);
            }
            if (options.shared().isPresent()) {
                return runShared(roots, start);
            }
            try (JobLock lock = JobLock.acquire(options.dbPath());
                 BacklogStore store = BacklogStores.open(options.dbPath(), PathNames.of(roots));
                 AuditLog audit = openAuditLog()) {
                JobIdentity.bind(store, roots, options.dbPath());
                return RunJournal.begin(store, options, stats, clock, start)
                        .record(() -> runPhases(store, roots, audit, start));
            } catch (IOException e) {
                throw JobFailure.fatal("cannot close the audit log " + options.auditLogPath() + ": " + e.getMessage(),
                        e);
            }
        }
    }

    /** A run on a job shared by several hosts through PostgreSQL: no job lock; {@link SharedSync} does the phases. */
    private RunSummary runShared(Roots roots, Instant start) throws InterruptedException {
        SharedDb shared = options.shared().orElseThrow();
        try (JobLock lock = JobLock.acquireForAuditLog(options.auditLogPath());
             BacklogStore store = BacklogStores.openShared(shared.database(), PathNames.of(roots),
                     SharedBacklog.Worker.here(shared.lease()));
             AuditLog audit = openAuditLog()) {
            JobIdentity.bind(store, roots, shared.database().describe());
            return RunJournal.begin(store, options, stats, clock, start)
                    .record(() -> new SharedSync(options, roots, listener, stats, clock).run(store, audit, start,
                            this));
        } catch (IOException e) {
            throw JobFailure.fatal("cannot close the audit log " + options.auditLogPath() + ": " + e.getMessage(),
                    e);
        }
    }

    /** The phases of a locked, bound run; {@link RunJournal} records how they end. */
    private RunSummary runPhases(BacklogStore store, Roots roots, AuditLog audit, Instant start) {
        JobRoots jobRoots = new JobRoots(options, roots, listener);
        jobRoots.prepare(store);
        new PreparedRecovery(store, roots, audit, listener, clock, options.sidecar(), options.markers().readySuffix())
                .recover();
        AfterTransfer after = new AfterTransfer(options, roots, listener, stats);
        boolean interrupted = false;
        boolean cleanupRefused = false;
        try {
            BacklogLoader loader = new BacklogLoader(options, roots, listener, stats, clock);
            loader.load(store, audit);
            transfer(store, roots, audit);
            after.makeLinks(store, audit);
            if (options.deleteExtras()) {
                cleanupRefused = after.deleteExtras(store, audit, loader.deletedMakingWay());
            }
            after.finishDirectories(store);
        } catch (InterruptedException e) {
            // SIGINT/SIGTERM: the pipeline has stopped and removed its temp files; keep what is committed
            Thread.interrupted();
            interrupted = true;
            listener.notice("interrupted: stopped; files in progress were abandoned, the rest is recorded");
        }
        RunSummary summary = finish(store, audit, start, interrupted, cleanupRefused);
        if (!summary.interrupted() && !summary.hasFailures() && summary.pendingLeft() == 0) {
            jobRoots.markSuccess(); // nothing failed, nothing deferred: the destinations are complete
        }
        return summary;
    }

    private void transfer(BacklogStore store, Roots roots, AuditLog audit) throws InterruptedException {
        listener.phaseStarted(Phase.TRANSFER);
        PipelineSettings settings = pipelineSettings(options, roots, clock);
        OutcomeRecorder recorder = new OutcomeRecorder(store, audit, stats, listener, options.checksum(), clock,
                options.maxDestinationFailuresInARow());
        try (PendingRows rows = store.openPendingRows(1000)) {
            new TransferPipeline(settings, stats, roots).run(rows, recorder);
        }
        store.commit();
    }

    /** Records what is left and sums the run up (shared by the one-host and the shared-job runs). */
    RunSummary finish(BacklogStore store, AuditLog audit, Instant start, boolean interrupted, boolean cleanupRefused) {
        audit.flush();
        store.commit();
        listener.phaseStarted(Phase.DONE);
        TransferStats.Snapshot s = stats.snapshot();
        return new RunSummary(false, interrupted, cleanupRefused, s.filesCopied(), s.bytesCommitted(),
                s.filesSkipped(), s.filesFailed(), s.filesDeferred(), s.filesDeleted(), store.pending().files(),
                Duration.between(start, clock.instant()),
                options.isDualTarget() ? List.of(s.bytesWrittenDest1(), s.bytesWrittenDest2())
                        : List.of(s.bytesWrittenDest1()), s.linksMade());
    }

    /** How the transfer runs, from the options (shared by the one-host and the shared-job transfer). */
    static PipelineSettings pipelineSettings(SyncOptions options, Roots roots, Clock clock) {
        SourceAccess access = SourceAccess.choose(options.mmap(), roots, options.bandwidthBytesPerSecond() > 0,
                options.verify());
        org.slf4j.LoggerFactory.getLogger(SyncJob.class).info("large source files are {}",
                access == SourceAccess.MAP ? "memory-mapped" : "read into buffers");
        return new PipelineSettings(options.destinations().size(), options.blockSizeBytes(),
                options.queueCapacity(), options.checksum(), BandwidthLimiter.of(options.bandwidthBytesPerSecond()),
                options.verify(), options.fsync(), options.stableFor(), clock,
                new RetryPolicy(options.retries(), options.retryWait(), RetryPolicy.Sleeper.REAL),
                options.sidecar() ? Optional.of(options.checksum()) : Optional.empty(),
                options.markers().readySuffix(), options.transfers(), access);
    }

    private AuditLog openAuditLog() {
        try {
            return AuditLog.open(options.auditLogPath(), clock);
        } catch (IOException e) {
            throw JobFailure.fatal("cannot open the audit log " + options.auditLogPath() + ": " + describe(e), e);
        }
    }

    static String describe(IOException e) {
        if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
