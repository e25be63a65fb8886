package dev.duplex.job;

import dev.duplex.backlog.BacklogStore;
import dev.duplex.backlog.BacklogStores;
import dev.duplex.backlog.PathNames;
import dev.duplex.tree.Roots;
import dev.duplex.backlog.Extra;
import dev.duplex.backlog.FileRow;
import dev.duplex.backlog.PendingRows;
import dev.duplex.mirror.ExtraFileDeleter;
import dev.duplex.report.HumanUnits;
import dev.duplex.report.RunSummary;
import dev.duplex.report.TransferListener;
import dev.duplex.report.TransferListener.Phase;
import dev.duplex.report.TransferStats;
import dev.duplex.scan.ScanOutcome;
import dev.duplex.scan.ScanPhase;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code --dry-run}: prints what a run would copy and delete, changing nothing: no destination, no db. With a
 * backlog to resume it reads the job db read-only; otherwise it scans into a scratch db in the temp directory.
 */
final class DryRun {
    private final SyncOptions options;
    private final Roots roots;
    private final TransferListener listener;
    private final TransferStats stats;

    DryRun(SyncOptions options, Roots roots, TransferListener listener, TransferStats stats) {
        this.options = options;
        this.roots = roots;
        this.listener = listener;
        this.stats = stats;
    }

    RunSummary run(Instant start, Clock clock) throws InterruptedException {
        listener.notice("dry run: nothing will be changed");
        if (Files.isRegularFile(options.dbPath())) {
            try (BacklogStore store = BacklogStores.openReadOnly(options.dbPath(), PathNames.of(roots))) {
                store.jobMismatch(roots.source().root(), JobTrees.destinationNames(roots)).ifPresent(o -> {
                    throw JobFailure.usage("the db " + options.dbPath() + " belongs to another job (" + o + ")");
                });
                new MountGuard(MountGuard.REAL).check(JobRoots.named(roots), store.settings(),
                        options.allowFsChange(), false, listener);
                boolean sameFilters = store.settings().scannedFilters().orElse("").equals(options.filter().describe());
                if (!options.rescan() && sameFilters && store.lastScanFinished() && store.untriedPendingFiles() > 0) {
                    listener.notice("would resume the backlog in " + options.dbPath());
                    return plan(store, 0, start, clock);
                }
            }
        }
        try (BacklogStore scratch = BacklogStores.openTemporary(PathNames.of(roots))) {
            listener.phaseStarted(Phase.SCAN);
            ScanOutcome scan;
            try {
                scan = new ScanPhase(roots.source(), roots.destinations(), BacklogLoader.scanRules(options))
                        .run(scratch, stats, listener);
            } catch (java.io.UncheckedIOException e) {
                throw JobFailure.fatal(e.getMessage(), e);
            }
            if (!scan.excluded().isEmpty()) {
                listener.notice(BacklogLoader.leftOutBy(options) + BacklogLoader.leftOut(scan.excluded()));
            }
            scan.typeConflicts().forEach(c -> listener.notice("replace " + roots.destination(c.destination())
                    .nameOf(c.path()) + " ("
                    + (c.destIsDirectory() ? "a directory where the source now has a file; with content only with "
                    + "--delete-extras" : "a file where the source now has a directory") + ")"));
            if (!scan.staleTemps().isEmpty()) {
                listener.notice("would remove " + scan.staleTemps().size() + " leftover temp files");
            }
            return plan(scratch, scan.upToDateFiles(), start, clock);
        }
    }

    private RunSummary plan(BacklogStore store, long upToDate, Instant start, Clock clock) {
        listener.phaseStarted(Phase.TRANSFER);
        long files = 0;
        long bytes = 0;
        try (PendingRows rows = store.openPendingRows(1000)) {
            while (rows.hasNext()) {
                FileRow row = rows.next();
                files++;
                bytes += row.metadata().sizeBytes();
                listener.notice("copy " + row.path() + " ("
                        + HumanUnits.bytes(row.metadata().sizeBytes()) + ")");
            }
        }
        long links = 0;
        for (dev.duplex.backlog.LinkRow link : store.pendingLinks()) {
            links++;
            listener.notice("link " + link.path() + " -> " + link.target());
        }
        long deletes = 0;
        if (options.deleteExtras()) {
            listener.phaseStarted(Phase.CLEANUP);
            if (store.lastScanWasClean()) {
                ExtraFileDeleter.Outcome outcome = new ExtraFileDeleter(roots, options.filter())
                        .deleteExtras(store, new ExtraFileDeleter.Observer() {
                    @Override
                    public void deleted(Extra extra) {
                        listener.notice("delete " + roots.destination(extra.destination()).nameOf(extra.path()));
                    }

                    @Override
                    public void kept(Extra extra, String reason) {
                        listener.notice("keep " + roots.destination(extra.destination()).nameOf(extra.path()) + ": "
                                + reason);
                    }
                }, true, new ExtraFileDeleter.Limits(options.allowEmptySource(), options.maxDelete()));
                deletes = outcome.deleted();
                outcome.refusal().ifPresent(listener::warning);
            } else {
                listener.warning("would not delete extra files: the scan could not read the whole source");
            }
        }
        options.markers().successMarker().ifPresent(name -> listener.notice("would write the success marker " + name
                + " at each destination root if the run exits 0"));
        listener.phaseStarted(Phase.DONE);
        return new RunSummary(true, false, false, files, bytes, upToDate, 0, 0, deletes, files,
                Duration.between(start, clock.instant()), java.util.List.of(), links);
    }

}
