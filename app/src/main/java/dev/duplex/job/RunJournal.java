package dev.duplex.job;

import dev.duplex.backlog.BacklogException;
import dev.duplex.backlog.BacklogStore;
import dev.duplex.report.RunCounts;
import dev.duplex.report.RunEnd;
import dev.duplex.report.RunSummary;
import dev.duplex.report.TransferStats;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Writes a run into the {@code runs} table: a row at its start, completed at its end however it ends (synced,
 * files failed, interrupted, or stopped by an error), so {@code status} and {@code history} can tell. Job thread
 * only.
 */
final class RunJournal {
    /** The run's phases; what {@link #record} wraps. */
    interface Phases {
        RunSummary run() throws InterruptedException;
    }

    private final BacklogStore store;
    private final TransferStats stats;
    private final Clock clock;
    private final Instant started;
    private final long runId;

    private RunJournal(BacklogStore store, TransferStats stats, Clock clock, Instant started, long runId) {
        this.store = store;
        this.stats = stats;
        this.clock = clock;
        this.started = started;
        this.runId = runId;
    }

    static RunJournal begin(BacklogStore store, SyncOptions options, TransferStats stats, Clock clock,
                            Instant started) {
        long id = store.startRun(started, ProcessHandle.current().pid(), describe(options));
        return new RunJournal(store, stats, clock, started, id);
    }

    /** Runs the phases and records how they ended; a failure is recorded, then rethrown. */
    RunSummary record(Phases phases) throws InterruptedException {
        RunSummary summary;
        try {
            summary = phases.run();
        } catch (InterruptedException | RuntimeException | Error e) {
            finishQuietly(RunOutcome.of(e), Optional.ofNullable(e.getMessage()).or(() -> Optional.of(e.toString())), e);
            throw e;
        }
        finish(RunOutcome.of(summary), Optional.empty());
        return summary;
    }

    private void finish(RunOutcome outcome, Optional<String> error) {
        TransferStats.Snapshot s = stats.snapshot();
        Instant ended = clock.instant();
        double seconds = Math.max(Duration.between(started, ended).toMillis(), 1) / 1000.0;
        RunCounts counts = new RunCounts(s.filesCopied(), s.bytesCommitted(), s.filesSkipped(), s.filesFailed(),
                s.filesDeferred(), s.filesDeleted(), store.pending().files(), s.bytesCommitted() / seconds);
        store.finishRun(runId, new RunEnd(ended, outcome.dbValue(), outcome.exitCode(), counts, error));
    }

    /**
     * After a failure the db itself may be what failed: recording is best effort, the original error wins. Work the
     * failed run had not committed is rolled back first: the run's row is committed on its own, never together with
     * file rows whose audit lines may not have been written.
     */
    private void finishQuietly(RunOutcome outcome, Optional<String> error, Throwable original) {
        try {
            store.rollback();
            finish(outcome, error);
        } catch (BacklogException e) {
            original.addSuppressed(e);
        }
    }

    /** The options that shape a run, as a command-line fragment (defaults left out). */
    static String describe(SyncOptions o) {
        List<String> parts = new ArrayList<>();
        parts.add("--checksum " + o.checksum().cliName());
        if (o.bandwidthBytesPerSecond() > 0) {
            parts.add("--bwlimit " + o.bandwidthBytesPerSecond());
        }
        flag(parts, o.deleteExtras(), "--delete-extras");
        flag(parts, o.rescan(), "--rescan");
        flag(parts, o.verify(), "--verify");
        flag(parts, o.fsync(), "--fsync");
        flag(parts, o.sidecar(), "--sidecar");
        if (!o.stableFor().isZero()) {
            parts.add("--stable-for " + o.stableFor().getSeconds() + "s");
        }
        if (!o.filter().isEmpty()) {
            parts.add(o.filter().describe());
        }
        flag(parts, o.deleteExcluded(), "--delete-excluded");
        flag(parts, o.allowFsChange(), "--allow-fs-change");
        o.markers().readySuffix().ifPresent(x -> parts.add("--ready-suffix " + x));
        o.markers().successMarker().ifPresent(x -> parts.add("--success-marker " + x));
        parts.add("--block-size " + o.blockSizeBytes());
        parts.add("--queue-capacity " + o.queueCapacity());
        parts.add("--transfers " + o.transfers());
        parts.add("--scan-threads " + (o.scanThreads() == 0 ? "auto" : o.scanThreads()));
        parts.add(o.source().toString());
        o.destinations().forEach(d -> parts.add(d.toString()));
        return String.join(" ", parts);
    }

    private static void flag(List<String> parts, boolean on, String name) {
        if (on) {
            parts.add(name);
        }
    }
}
