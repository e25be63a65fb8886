package dev.duplex.job;

import dev.duplex.backlog.ConflictRow;
import dev.duplex.backlog.PairRow;
import dev.duplex.bisync.Action;
import dev.duplex.bisync.BisyncAudit;
import dev.duplex.bisync.BisyncCounts;
import dev.duplex.bisync.Executor;
import dev.duplex.bisync.Plan;
import dev.duplex.bisync.ReconcileOptions;
import dev.duplex.bisync.Recorded;
import dev.duplex.bisync.Side;
import dev.duplex.bisync.Versions;
import dev.duplex.report.AuditLog;
import dev.duplex.tree.RelPath;
import dev.duplex.tree.Tree;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One reconcile of a two-way job: the whole tree (or {@code --path}), or, for a watch, just the paths that changed.
 * Planning reads both sides and the records and hashes what the reconciler asks for; carrying out the plan is a
 * separate step, so a dry run can print it and a guard can refuse it before anything changes.
 */
public final class BisyncPass {
    private static final DateTimeFormatter TRASH_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final BisyncOptions options;
    private final BisyncSession session;
    private final Consumer<String> warnings;
    private final Clock clock;
    private boolean commitEachAction;

    /** A plan with what it was made from; {@code under}: the paths whose conflicts it decides again. */
    public record Planned(Plan plan, BisyncScope.Sides sides, List<RelPath> under) {
        public List<Action.Conflict> conflicts() {
            return plan.all(Action.Conflict.class);
        }
    }

    public BisyncPass(BisyncOptions options, BisyncSession session, Consumer<String> warnings, Clock clock) {
        this.options = options;
        this.session = session;
        this.warnings = warnings;
        this.clock = clock;
    }

    /** Commit after every action (a watch: its large-file lane writes through another connection meanwhile). */
    public BisyncPass commitEachAction() {
        commitEachAction = true;
        return this;
    }

    /** The whole tree, or {@code --path}. */
    public Planned planAll() throws InterruptedException {
        Map<RelPath, PairRow> rows = session.store().bisync().loadAll();
        BisyncScope scope = new BisyncScope(options, session.left(), session.right(), warnings);
        BisyncScope.Sides sides = scope.read(rows);
        return plan(scope.inScope(rows), sides, rows.isEmpty(), List.of(options.only().orElse(RelPath.ROOT)));
    }

    /** Only {@code paths} (each a file or a folder), for a watch. */
    public Planned planPaths(Collection<RelPath> paths) throws InterruptedException {
        Map<RelPath, PairRow> rows = new HashMap<>();
        for (RelPath p : paths) {
            rows.putAll(session.store().bisync().loadUnder(p));
        }
        BisyncScope scope = new BisyncScope(options, session.left(), session.right(), warnings);
        BisyncScope.Sides sides = scope.readPaths(paths);
        return plan(scope.inScope(rows), sides, false, List.copyOf(paths));
    }

    private Planned plan(Map<RelPath, PairRow> rows, BisyncScope.Sides sides, boolean firstRun, List<RelPath> under)
            throws InterruptedException {
        Map<RelPath, Recorded> recorded = Versions.recorded(rows, options.checksum().cliName() + ":");
        ReconcileOptions reconcile = new ReconcileOptions(options.conflicts().changed(),
                options.conflicts().created(), options.conflicts().renamed(), firstRun, options.conflicts().zone());
        Plan plan = new Hashing(session.left(), session.right(), options.checksum(), warnings).plan(recorded,
                sides.left(), sides.right(), reconcile);
        return new Planned(plan, sides, under);
    }

    /** {@code --max-delete}: a {@link JobFailure} (exit 4) when the plan deletes too much on one side. */
    public void guard(Planned planned) {
        guard(planned, side -> session.store().bisync().filesOn(side == Side.LEFT), side -> 0);
    }

    /** {@code --max-delete} over a window of passes: {@code earlier} deletes of {@code files} recorded at its start. */
    public void guard(Planned planned, java.util.function.ToLongFunction<Side> files,
                      java.util.function.ToLongFunction<Side> earlier) {
        BisyncGuards.check(options, planned.plan(), files, earlier, session.left(), session.right());
    }

    /** How many files (not folders) the plan deletes on {@code side}. */
    public static long fileDeletes(Planned planned, Side side) {
        return planned.plan().all(Action.Delete.class).stream()
                .filter(d -> d.on() == side && !d.version().isDirectory()).count();
    }

    /** How many files the job records on a side now. */
    public long recordedFiles(Side side) {
        return session.store().bisync().filesOn(side == Side.LEFT);
    }

    /** Prints a dry run's counts and actions. */
    public static void print(PrintWriter out, Planned planned) {
        DryRunReport.print(out, planned.sides().left(), planned.sides().right(), planned.plan());
    }

    /**
     * Carries the plan out, recording each path as it is done, and commits. The paths whose action failed come
     * back (a watch tries them again later).
     */
    public List<RelPath> execute(Planned planned, AuditLog log, BisyncCounts counts, Instant started,
                                 Optional<Consumer<String>> eachAction, List<Action.Conflict> conflicts)
            throws InterruptedException {
        session.store().commit();     // ends the planning's read: another connection of the job may have written
        String stamp = TRASH_STAMP.format(started.atZone(options.conflicts().zone()));
        sweep(session.left(), planned.sides().leftTemps());
        sweep(session.right(), planned.sides().rightTemps());
        Executor executor = BisyncExecutors.create(session.left(), session.right(), session.store(),
                new BisyncAudit(log), options, stamp, counts, planned.sides().incomplete(), warnings, clock);
        eachAction.ifPresent(executor::tellEachAction);
        if (commitEachAction) {
            executor.afterEachAction(session.store()::commit);
        }
        try {
            executor.run(planned.plan(), planned.sides().left(), planned.sides().right());
        } finally {
            // a stop (SIGTERM) interrupts this thread: the audit log's file channel would close on the next write
            boolean stopping = Thread.interrupted();
            try {
                log.flush();
                for (RelPath under : planned.under()) {
                    List<ConflictRow> here = new ArrayList<>();
                    executor.unresolved().stream().filter(c -> c.path().startsWith(under)).forEach(here::add);
                    session.store().bisync().replaceConflicts(under, here);
                }
                session.store().commit();
                conflicts.addAll(executor.conflicts());
            } finally {
                if (stopping) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        return executor.failedPaths();
    }

    /** With {@code -v}: each action carried out, as a line on {@code out}; else nowhere. */
    public static Optional<Consumer<String>> eachAction(boolean verbose, PrintWriter out) {
        if (!verbose) {
            return Optional.empty();
        }
        return Optional.of(line -> {
            out.println(line);
            out.flush();
        });
    }

    /** The runs row's end of a run (or a whole watch) that did {@code counts}. */
    public static dev.duplex.report.RunEnd runEnd(BisyncCounts counts, Instant ended, Instant started) {
        return BisyncExecutors.runEnd(counts, ended, started);
    }

    /** Temp files an interrupted run (of any job) left: removed, as the sync's scan does. */
    private void sweep(Tree tree, List<RelPath> temps) {
        int removed = 0;
        for (RelPath t : temps) {
            try {
                if (tree.delete(t)) {
                    removed++;
                }
            } catch (IOException ignored) {
                // left for the next run; never fatal
            }
        }
        if (removed > 0) {
            warnings.accept("removed " + removed + " temp file" + (removed == 1 ? "" : "s")
                    + " left by an interrupted run in " + tree.root());
        }
    }
}
