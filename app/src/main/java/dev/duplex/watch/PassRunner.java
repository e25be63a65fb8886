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
    private final DeleteWindow window;

    PassRunner(BisyncOptions options, BisyncSession session, AuditLog log, Consumer<String> warnings,
               Optional<Consumer<String>> eachAction, Clock clock, DeleteWindow window) {
        this.window = window;
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
            BisyncPass pass = new BisyncPass(options, session, warnings, clock).commitEachAction();
            BisyncPass.Planned planned = full ? pass.planAll() : pass.planPaths(paths);
            // a mass delete comes as many passes: the window sums them until a full reconcile passes the guard
            pass.guard(planned, side -> window.files(side, pass.recordedFiles(side)), window::deleted);
            List<RelPath> failed = new ArrayList<>(pass.execute(planned, log, counts, clock.instant(), eachAction,
                    conflicts));
            if (!full) {                          // a path the pass left unequal (the other end of a failed
                for (RelPath p : paths) {         // rename, a file it could not hash) is not forgotten
                    if (!failed.contains(p) && !settled(p, conflicts)) {
                        failed.add(p);
                    }
                }
            }
            for (dev.duplex.bisync.Side side : dev.duplex.bisync.Side.values()) {
                if (full) {
                    window.reset(side);
                } else {
                    window.add(side, BisyncPass.fileDeletes(planned, side));
                }
            }
            session.store().commit();
            return new LaneResult(paths, full, counts, conflicts, failed, Optional.empty());
        } catch (JobFailure f) {
            session.store().commit();     // a refused plan leaves its reads open: end them (WAL snapshot)
            return new LaneResult(paths, full, counts, conflicts, List.of(), Optional.of(f.getMessage()));
        }
    }

    /**
     * Whether a path is the same on both sides now (absent, folders, or files the sync's skip rule takes as equal),
     * left out by the filters, or a conflict the pass reported: nothing more for a watch to do about it.
     */
    private boolean settled(RelPath path, List<dev.duplex.bisync.Action.Conflict> conflicts) {
        if (conflicts.stream().anyMatch(c -> c.path().equals(path) || c.leftPath().equals(path)
                || c.rightPath().equals(path))) {
            return true;
        }
        try {
            Optional<dev.duplex.tree.Entry> l = session.left().stat(path, dev.duplex.tree.Tree.Detail.BASIC);
            Optional<dev.duplex.tree.Entry> r = session.right().stat(path, dev.duplex.tree.Tree.Detail.BASIC);
            if (l.isEmpty() || r.isEmpty()) {
                Optional<dev.duplex.tree.Entry> one = l.isPresent() ? l : r;
                return one.isEmpty() || options.filter().excludesPath(path.toString(),
                        one.get().kind() == dev.duplex.tree.EntryKind.DIRECTORY, java.util.OptionalLong.of(
                                one.get().metadata().sizeBytes()));
            }
            if (l.get().kind() != r.get().kind()) {
                return false;
            }
            if (l.get().kind() != dev.duplex.tree.EntryKind.FILE) {
                return true;
            }
            dev.duplex.tree.FileMetadata lm = l.get().metadata();
            dev.duplex.tree.FileMetadata rm = r.get().metadata();   // either side may keep the coarser mtime
            return dev.duplex.scan.SkipRule.isUpToDate(lm, rm) || dev.duplex.scan.SkipRule.isUpToDate(rm, lm);
        } catch (java.io.IOException unreadable) {
            return false;
        }
    }

    /**
     * The path on both sides now: its larger size (0 for a folder), and whether a side lost it since the last sync
     * (recorded there, gone now: a delete, or one end of a rename).
     */
    Sizes.Sized sized(RelPath path) {
        long max = 0;
        boolean gone = false;
        dev.duplex.backlog.PairRow row = session.store().bisync().loadUnder(path).get(path);
        session.store().commit();         // ends the read (the lane's connection writes meanwhile)
        for (dev.duplex.bisync.Side side : dev.duplex.bisync.Side.values()) {
            dev.duplex.tree.Tree tree = side == dev.duplex.bisync.Side.LEFT ? session.left() : session.right();
            boolean recorded = row != null && (side == dev.duplex.bisync.Side.LEFT ? row.left() : row.right())
                    .isPresent();
            try {
                Optional<dev.duplex.tree.Entry> e = tree.stat(path, dev.duplex.tree.Tree.Detail.BASIC);
                gone |= recorded && e.isEmpty();
                if (e.isPresent() && e.get().kind() == dev.duplex.tree.EntryKind.FILE) {
                    max = Math.max(max, e.get().metadata().sizeBytes());
                }
            } catch (java.io.IOException unreadable) {
                gone = true;                      // the main pass reads it again and says what is wrong
            }
        }
        return new Sizes.Sized(path, max, gone);
    }

    long unresolvedConflicts() {
        long n = session.store().bisync().conflicts().size();
        session.store().commit();     // ends the read: the lane's connection writes meanwhile (WAL snapshot)
        return n;
    }
}
