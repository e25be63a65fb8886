package dev.duplex.job;

import dev.duplex.backlog.BacklogCounts;
import dev.duplex.backlog.BacklogStore;
import dev.duplex.backlog.Extra;
import dev.duplex.backlog.PendingRows;
import dev.duplex.backlog.LinkRow;
import dev.duplex.commit.DirectoryFinisher;
import dev.duplex.commit.LinkMaker;
import dev.duplex.commit.StaleTempSweeper;
import dev.duplex.mirror.ExtraFileDeleter;
import dev.duplex.mirror.TypeConflictResolver;
import dev.duplex.report.AuditLog;
import dev.duplex.report.HumanUnits;
import dev.duplex.report.RunSummary;
import dev.duplex.report.TransferListener;
import dev.duplex.report.TransferListener.Phase;
import dev.duplex.report.TransferStats;
import dev.duplex.scan.ScanOutcome;
import dev.duplex.scan.ScanPhase;
import dev.duplex.scan.ScanRules;
import dev.duplex.transfer.BandwidthLimiter;
import dev.duplex.transfer.HashAlgorithm;
import dev.duplex.transfer.PipelineSettings;
import dev.duplex.transfer.RetryPolicy;
import dev.duplex.transfer.SourceAccess;
import dev.duplex.transfer.TransferPipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One sync run, phase by phase: lock the job, load the backlog (resume it, or scan), transfer, clean up extras,
 * finish directories, summarise. Dry runs go to {@link DryRun}.
 */
public final class SyncJob {
    private final SyncOptions options;
    private final TransferListener listener;
    private final TransferStats stats;
    private final Clock clock;
    private boolean cleanupRefused;
    private long deletedMakingWay;

    public SyncJob(SyncOptions options, TransferListener listener, TransferStats stats, Clock clock) {
        this.options = options;
        this.listener = listener;
        this.stats = stats;
        this.clock = clock;
    }

    public RunSummary run() throws InterruptedException {
        Instant start = clock.instant();
        SourceRoot.check(options.source());
        if (options.dryRun()) {
            return new DryRun(options, listener, stats).run(start, clock);
        }
        try (JobLock lock = JobLock.acquire(options.dbPath());
             BacklogStore store = BacklogStore.open(options.dbPath());
             AuditLog audit = openAuditLog()) {
            JobIdentity.bind(store, options);
            return RunJournal.begin(store, options, stats, clock, start).record(() -> runPhases(store, audit, start));
        } catch (IOException e) {
            throw JobFailure.fatal("cannot close the audit log " + options.auditLogPath() + ": " + e.getMessage(), e);
        }
    }

    /** The phases of a locked, bound run; {@link RunJournal} records how they end. */
    private RunSummary runPhases(BacklogStore store, AuditLog audit, Instant start) {
        JobRoots roots = new JobRoots(options, listener);
        roots.prepare(store);
        new PreparedRecovery(store, audit, listener, clock, options.sidecar(), options.markers().readySuffix())
                .recover();
        boolean interrupted = false;
        try {
            loadBacklog(store, audit);
            transfer(store, audit);
            makeLinks(store, audit);
            if (options.deleteExtras()) {
                deleteExtras(store, audit);
            }
            DirectoryFinisher.finish(store, options.destinations(),
                    (dir, why) -> listener.warning("cannot finish directory " + dir + ": " + why));
        } catch (InterruptedException e) {
            // SIGINT/SIGTERM: the pipeline has stopped and removed its temp files; keep what is committed
            Thread.interrupted();
            interrupted = true;
            listener.notice("interrupted: stopped; files in progress were abandoned, the rest is recorded");
        }
        audit.flush();
        store.commit();
        listener.phaseStarted(Phase.DONE);
        TransferStats.Snapshot s = stats.snapshot();
        RunSummary summary = new RunSummary(false, interrupted, cleanupRefused, s.filesCopied(), s.bytesCommitted(),
                s.filesSkipped(), s.filesFailed(), s.filesDeferred(), s.filesDeleted(), store.pending().files(),
                Duration.between(start, clock.instant()),
                options.isDualTarget() ? java.util.List.of(s.bytesWrittenDest1(), s.bytesWrittenDest2())
                        : java.util.List.of(s.bytesWrittenDest1()), s.linksMade());
        if (!summary.interrupted() && !summary.hasFailures()) {
            roots.markSuccess();
        }
        return summary;
    }

    /** Resumes an interrupted backlog, or scans (counting the files found up to date as skipped). */
    private void loadBacklog(BacklogStore store, AuditLog audit) throws InterruptedException {
        BacklogCounts pending = store.pending();
        boolean scanFinished = store.lastScanFinished();
        boolean filtersChanged = !store.settings().scannedFilters().orElse("").equals(options.filter().describe());
        if (!options.rescan() && scanFinished && !filtersChanged && store.untriedPendingFiles() > 0) {
            listener.notice("resuming " + HumanUnits.count(pending.files()) + " files ("
                    + HumanUnits.bytes(pending.bytes()) + ") from backlog " + options.dbPath());
            stats.backlog(pending.files(), pending.bytes(), store.synced().bytes());
            return;
        }
        if (!scanFinished) {
            listener.notice("the last scan did not finish (the run was stopped); scanning again");
        } else if (filtersChanged && store.untriedPendingFiles() > 0 && !options.rescan()) {
            listener.notice("the filters differ from the ones the backlog was scanned with; scanning again");
        }
        listener.notice((options.rescan() ? "rescanning " : "scanning ") + options.source() + " and "
                + String.join(", ", options.destinations().stream().map(Path::toString).toList()));
        listener.phaseStarted(Phase.SCAN);
        Instant scanStart = clock.instant();
        ScanOutcome scan = new ScanPhase(options.source(), options.destinations(), scanRules(options),
                options.scanThreads())
                .run(store, stats, listener);
        Duration scanTime = Duration.between(scanStart, clock.instant());
        clearTypeConflicts(scan, audit);
        int swept = StaleTempSweeper.sweep(scan.staleTemps());
        if (swept > 0) {
            listener.notice("removed " + swept + " leftover temp files of an interrupted run");
        }
        BacklogCounts after = store.pending();
        listener.notice("scan done: " + HumanUnits.count(scan.sourceFiles()) + " files ("
                + HumanUnits.bytes(scan.sourceBytes()) + ") in the source, " + HumanUnits.count(after.files())
                + " pending (" + HumanUnits.bytes(after.bytes()) + "), " + HumanUnits.count(scan.upToDateFiles())
                + " up to date; " + scanRate(scan, scanTime)
                + (scan.clean() ? "" : "; some source directories could not be read"));
        if (!scan.excluded().isEmpty()) {
            listener.notice("left out by the filters: " + leftOut(scan.excluded()));
        }
        stats.backlog(after.files(), after.bytes(), store.synced().bytes());
        stats.skipped(scan.upToDateFiles());
        // what the scan could not read is not synced: the run must not exit 0 (the next run scans it again)
        for (long i = 0; i < scan.unreadableSourceEntries(); i++) {
            stats.failed();
        }
    }

    /** How long the scan took and how many source entries it recorded per second. */
    private static String scanRate(ScanOutcome scan, Duration took) {
        long entries = scan.sourceFiles() + scan.symlinks();
        double seconds = Math.max(took.toNanos(), 1) / 1e9;
        return String.format(java.util.Locale.ROOT, "scanned in %.1f s (%s files/s)", seconds,
                HumanUnits.count(Math.round(entries / seconds)));
    }

    private void transfer(BacklogStore store, AuditLog audit) throws InterruptedException {
        listener.phaseStarted(Phase.TRANSFER);
        SourceAccess access = SourceAccess.choose(options.mmap(), options.source(), options.destinations(),
                options.bandwidthBytesPerSecond() > 0, options.verify());
        org.slf4j.LoggerFactory.getLogger(SyncJob.class).info("large source files are {}",
                access == SourceAccess.MAP ? "memory-mapped" : "read into buffers");
        PipelineSettings settings = new PipelineSettings(options.destinations().size(), options.blockSizeBytes(),
                options.queueCapacity(), options.checksum(), BandwidthLimiter.of(options.bandwidthBytesPerSecond()),
                options.verify(), options.fsync(), options.stableFor(), clock,
                new RetryPolicy(options.retries(), options.retryWait(), RetryPolicy.Sleeper.REAL),
                options.sidecar() ? Optional.of(options.checksum()) : Optional.empty(),
                options.markers().readySuffix(), options.destinations(),
                options.transfers(), access);
        OutcomeRecorder recorder = new OutcomeRecorder(store, audit, stats, listener, options.checksum(), clock,
                options.maxDestinationFailuresInARow());
        try (PendingRows rows = store.openPendingRows(1000)) {
            new TransferPipeline(settings, stats).run(rows, recorder);
        }
        store.commit();
    }

    /** Removes destination entries of another kind in the way of source entries (a file that became a directory). */
    private void clearTypeConflicts(ScanOutcome scan, AuditLog audit) {
        if (scan.typeConflicts().isEmpty()) {
            return;
        }
        TypeConflictResolver resolver = new TypeConflictResolver(options.destinations(), options.deleteExtras(),
                options.maxDelete());
        resolver.resolve(scan.typeConflicts(),
                new TypeConflictResolver.Observer() {
                    @Override
                    public void deleted(Path destPath, Path sourcePath) {
                        audit.deleted(sourcePath.toString(), destPath.toString());
                        stats.deleted();
                    }

                    @Override
                    public void kept(Path destPath, String reason) {
                        listener.warning("kept " + destPath + ": " + reason);
                    }
                });
        deletedMakingWay = resolver.treeEntriesDeleted();
        audit.flush();
    }

    /** Recreates pending source symlinks as symlinks, after the files (a link may point at one). */
    private void makeLinks(BacklogStore store, AuditLog audit) {
        LinkMaker maker = new LinkMaker(options.destinations());
        for (LinkRow link : store.pendingLinks()) {
            Optional<String> dest2 = link.destPaths().size() > 1
                    ? Optional.of(link.destPaths().get(1).toString()) : Optional.empty();
            Optional<String> error = maker.make(link);
            store.markLink(link.sourcePath(), error);
            if (error.isEmpty()) {
                HashAlgorithm.FileHasher h = options.checksum().newHasher();
                h.update(java.nio.ByteBuffer.wrap(link.target().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                audit.syncedLink(link.sourcePath().toString(), link.destPaths().get(0).toString(), dest2,
                        link.target(), options.checksum().cliName(), h.finishHex());
                stats.linkMade();
            } else {
                audit.failed(link.sourcePath().toString(), link.destPaths().get(0).toString(), dest2, 0,
                        "cannot make symlink: " + error.get());
                stats.failed();
                listener.fileFailed(link.sourcePath().toString(), "cannot make symlink: " + error.get());
            }
        }
        audit.flush();
        store.commit();
    }

    private void deleteExtras(BacklogStore store, AuditLog audit) {
        listener.phaseStarted(Phase.CLEANUP);
        if (!store.lastScanWasClean()) {
            listener.warning("not deleting extra files: the scan could not read the whole source");
            return;
        }
        ExtraFileDeleter.Outcome outcome = new ExtraFileDeleter(options.source(), options.destinations(),
                options.filter())
                .deleteExtras(store, new ExtraFileDeleter.Observer() {
            @Override
            public void deleted(Extra extra) {
                audit.deleted(extra.sourcePath().toString(), extra.destPath().toString());
                stats.deleted();
            }

            @Override
            public void kept(Extra extra, String reason) {
                listener.warning("kept " + extra.destPath() + ": " + reason);
            }
        }, false, limits());
        outcome.refusal().ifPresent(why -> {
            listener.warning(why);
            cleanupRefused = true;
        });
        audit.flush();
        store.commit();
    }

    /** --max-delete covers the whole run: what clearing type conflicts deleted is taken off cleanup's share. */
    ExtraFileDeleter.Limits limits() {
        long cap = options.maxDelete() < 0 ? options.maxDelete() : Math.max(0, options.maxDelete() - deletedMakingWay);
        return new ExtraFileDeleter.Limits(options.allowEmptySource(), cap);
    }

    private AuditLog openAuditLog() {
        try {
            return AuditLog.open(options.auditLogPath(), clock);
        } catch (IOException e) {
            throw JobFailure.fatal("cannot open the audit log " + options.auditLogPath() + ": " + describe(e), e);
        }
    }

    /**
     * What the scan leaves out, and which destination files are ours: with --sidecar, {@code X.<algo>} beside a
     * source file X; with --ready-suffix, its marker; with --success-marker, the marker at the root.
     */
    static ScanRules scanRules(SyncOptions options) {
        return new ScanRules(options.filter(), options.deleteExtras() && options.deleteExcluded(),
                options.sidecar() ? Optional.of("." + options.checksum().cliName()) : Optional.empty(),
                options.markers().readySuffix(), options.markers().successMarker());
    }

    /** What the filters left out, as a notice says it. */
    static String leftOut(ScanOutcome.Excluded excluded) {
        return HumanUnits.count(excluded.files()) + (excluded.files() == 1 ? " file (" : " files (")
                + HumanUnits.bytes(excluded.bytes()) + ")" + (excluded.directories() > 0 ? ", "
                + HumanUnits.count(excluded.directories()) + (excluded.directories() == 1 ? " directory" : " directories")
                + " (not walked)" : "");
    }

    static String describe(IOException e) {
        if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
