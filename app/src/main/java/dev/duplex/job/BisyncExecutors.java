package dev.duplex.job;

import dev.duplex.backlog.BacklogStore;
import dev.duplex.bisync.BisyncAudit;
import dev.duplex.bisync.BisyncCounts;
import dev.duplex.bisync.Copier;
import dev.duplex.bisync.Executor;
import dev.duplex.bisync.Side;
import dev.duplex.bisync.Trash;
import dev.duplex.report.RunCounts;
import dev.duplex.report.RunEnd;
import dev.duplex.transfer.BandwidthLimiter;
import dev.duplex.tree.Tree;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/** Puts a two-way run's executor together, and turns its counts into the {@code runs} row. */
final class BisyncExecutors {
    private BisyncExecutors() {
    }

    static Executor create(Tree left, Tree right, BacklogStore store, BisyncAudit audit, BisyncOptions options,
                           String trashStamp, BisyncCounts counts, Set<Side> incomplete, Consumer<String> warnings,
                           Clock clock) {
        Copier copier = new Copier(options.checksum(), BandwidthLimiter.of(options.bwlimit()));
        Trash trash = new Trash(options.softDeleteMax(), trashStamp, copier);
        return new Executor(left, right, store.bisync(), audit, copier, trash, counts, incomplete, warnings, clock);
    }

    /** How the run ended: exit 1 when a file failed or a conflict was left unresolved, else 0. */
    static int exitCode(BisyncCounts counts) {
        return counts.failed() > 0 || counts.unresolved() > 0 ? RunOutcome.FILES_FAILED.exitCode()
                : RunOutcome.SYNCED.exitCode();
    }

    static RunEnd runEnd(BisyncCounts counts, Instant ended, Instant started) {
        long bytes = counts.bytesTo(Side.LEFT) + counts.bytesTo(Side.RIGHT);
        double seconds = Math.max(1e-3, Duration.between(started, ended).toNanos() / 1e9);
        int code = exitCode(counts);
        RunCounts c = new RunCounts(counts.copiedTo(Side.LEFT) + counts.copiedTo(Side.RIGHT), bytes, 0,
                counts.failed(), 0, counts.deletes() + counts.trashed(), 0, bytes / seconds);
        return new RunEnd(ended, code == 0 ? RunOutcome.SYNCED.dbValue() : RunOutcome.FILES_FAILED.dbValue(), code,
                c, Optional.empty());
    }
}
