package dev.duplex.watch;

import dev.duplex.bisync.Action;
import dev.duplex.bisync.BisyncCounts;
import dev.duplex.job.BisyncOptions;
import dev.duplex.job.BisyncPass;
import dev.duplex.job.BisyncSession;
import dev.duplex.job.JobFailure;
import dev.duplex.report.AuditLog;
import dev.duplex.tree.RelPath;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs one pass of a watch on a session: a full reconcile or the given paths, checked, guarded and carried out. A
 * problem that stops a pass (a root unreachable, {@code --max-delete}) comes back as the result's reason, never
 * as an exception: the watch reports it and tries again.
 */
final class PassRunner {
    private final BisyncOptions options;
    private final BisyncSession session;
    private final AuditLog log;
    private final Consumer<String> warnings;
    private final Optional<Consumer<String>> eachAction;
    private final Clock clock;

    PassRunner(BisyncOptions options, BisyncSession session, AuditLog log, Consumer<String> warnings,
               Optional<Consumer<String>> eachAction, Clock clock) {
        this.options = options;
        this.session = session;
        this.log = log;
        this.warnings = warnings;
        this.eachAction = eachAction;
        this.clock = clock;
    }

    /** Both roots reachable and on their file systems; else why not. */
    Optional<String> rootsProblem() {
        try {
            session.checkRoots();
            return Optional.empty();
        } catch (JobFailure f) {
            return Optional.of(f.getMessage());
        }
    }

    /** {@code paths} empty: a full reconcile. */
    LaneResult run(List<RelPath> paths) throws InterruptedException {
        boolean full = paths.isEmpty();
        BisyncCounts counts = new BisyncCounts();
        List<Action.Conflict> conflicts = new ArrayList<>();
        try {
            session.checkRoots();
            BisyncPass pass = new BisyncPass(options, session, warnings, clock);
            BisyncPass.Planned planned = full ? pass.planAll() : pass.planPaths(paths);
            pass.guard(planned);
            List<RelPath> failed = pass.execute(planned, log, counts, clock.instant(), eachAction, conflicts);
            return new LaneResult(paths, full, counts, conflicts, failed, Optional.empty());
        } catch (JobFailure f) {
            session.store().commit();     // a refused plan leaves its reads open: end them (WAL snapshot)
            return new LaneResult(paths, full, counts, conflicts, List.of(), Optional.of(f.getMessage()));
        }
    }

    /** The larger of the path's sizes on the two sides now (0 for a folder, or where it is not a file). */
    long largestSize(RelPath path) {
        long max = 0;
        for (dev.duplex.tree.Tree tree : List.of(session.left(), session.right())) {
            try {
                Optional<dev.duplex.tree.Entry> e = tree.stat(path, dev.duplex.tree.Tree.Detail.BASIC);
                if (e.isPresent() && e.get().kind() == dev.duplex.tree.EntryKind.FILE) {
                    max = Math.max(max, e.get().metadata().sizeBytes());
                }
            } catch (java.io.IOException ignored) {
                // the pass reads it again and says what is wrong
            }
        }
        return max;
    }

    long unresolvedConflicts() {
        long n = session.store().bisync().conflicts().size();
        session.store().commit();     // ends the read: the lane's connection writes meanwhile (WAL snapshot)
        return n;
    }
}
