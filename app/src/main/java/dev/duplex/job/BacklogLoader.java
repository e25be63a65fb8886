package dev.duplex.job;

import dev.duplex.backlog.BacklogCounts;
import dev.duplex.backlog.BacklogStore;
import dev.duplex.commit.StaleTempSweeper;
import dev.duplex.mirror.TypeConflictResolver;
import dev.duplex.report.AuditLog;
import dev.duplex.report.HumanUnits;
import dev.duplex.report.TransferListener;
import dev.duplex.report.TransferListener.Phase;
import dev.duplex.report.TransferStats;
import dev.duplex.scan.ScanOutcome;
import dev.duplex.scan.ScanPhase;
import dev.duplex.scan.ScanRules;
import dev.duplex.tree.Roots;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The backlog a run works from: the pending files of an interrupted run, resumed without a scan, or a scan of the
 * roots (clearing what stands in the way of source entries and the temp files of interrupted runs). Job thread.
 */
final class BacklogLoader {
    private final SyncOptions options;
    private final Roots roots;
    private final TransferListener listener;
    private final TransferStats stats;
    private final Clock clock;
    private long deletedMakingWay;

    BacklogLoader(SyncOptions options, Roots roots, TransferListener listener, TransferStats stats, Clock clock) {
        this.options = options;
        this.roots = roots;
        this.listener = listener;
        this.stats = stats;
        this.clock = clock;
    }

    /** Entries deleted to make way for source entries of another kind: they count against --max-delete. */
    long deletedMakingWay() {
        return deletedMakingWay;
    }

    /** Resumes an interrupted backlog, or scans (counting the files found up to date as skipped). */
    void load(BacklogStore store, AuditLog audit) throws InterruptedException {
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
        listener.notice((options.rescan() ? "rescanning " : "scanning ") + roots.source().root() + " and "
                + String.join(", ", JobTrees.destinationNames(roots)));
        listener.phaseStarted(Phase.SCAN);
        Instant scanStart = clock.instant();
        ScanOutcome scan;
        try {
            scan = new ScanPhase(roots.source(), roots.destinations(), scanRules(options)).run(store, stats, listener);
        } catch (java.io.UncheckedIOException e) {
            throw JobFailure.fatal(e.getMessage() + "; the scan is incomplete, the next run scans again", e);
        }
        Duration scanTime = Duration.between(scanStart, clock.instant());
        clearTypeConflicts(scan, audit);
        int swept = StaleTempSweeper.sweep(scan.staleTemps(), roots);
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
            listener.notice(leftOutBy(options) + leftOut(scan.excluded()));
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

    /** Removes destination entries of another kind in the way of source entries (a file that became a directory). */
    private void clearTypeConflicts(ScanOutcome scan, AuditLog audit) throws InterruptedException {
        if (scan.typeConflicts().isEmpty()) {
            return;
        }
        TypeConflictResolver resolver = new TypeConflictResolver(roots, options.deleteExtras(), options.maxDelete());
        resolver.resolve(scan.typeConflicts(), new TypeConflictResolver.Observer() {
            @Override
            public void deleted(String destName, String sourceName) {
                audit.deleted(sourceName, destName);
                stats.deleted();
            }

            @Override
            public void kept(String destName, String reason) {
                listener.warning("kept " + destName + ": " + reason);
            }
        });
        deletedMakingWay = resolver.treeEntriesDeleted();
        audit.flush();
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

    /** Who left the files out: the filters, or (also) --shard, whose other parts copy them. */
    static String leftOutBy(SyncOptions options) {
        return options.filter().shard().map(s -> "left out by "
                + (options.filter().describe().equals("--shard " + s) ? "" : "the filters and ") + "--shard " + s
                + " (the other parts copy them): ").orElse("left out by the filters: ");
    }

    /** What the filters left out, as a notice says it. */
    static String leftOut(ScanOutcome.Excluded excluded) {
        return HumanUnits.count(excluded.files()) + (excluded.files() == 1 ? " file (" : " files (")
                + HumanUnits.bytes(excluded.bytes()) + ")" + (excluded.directories() > 0 ? ", "
                + HumanUnits.count(excluded.directories()) + (excluded.directories() == 1 ? " directory" : " directories")
                + " (not walked)" : "");
    }
}
