package dev.duplex.job;

import dev.duplex.backlog.BacklogStore;
import dev.duplex.backlog.PathNames;
import dev.duplex.bisync.Action;
import dev.duplex.bisync.BisyncAudit;
import dev.duplex.bisync.BisyncCounts;
import dev.duplex.bisync.Executor;
import dev.duplex.bisync.Plan;
import dev.duplex.bisync.ReconcileOptions;
import dev.duplex.bisync.Recorded;
import dev.duplex.bisync.Side;
import dev.duplex.bisync.SideScanner;
import dev.duplex.bisync.Version;
import dev.duplex.bisync.Versions;
import dev.duplex.report.AuditLog;
import dev.duplex.tree.RelPath;
import dev.duplex.tree.Roots;
import dev.duplex.tree.StatThreads;
import dev.duplex.tree.Tree;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code duplex bisync LEFT RIGHT}: lock the job, read both sides, refuse what looks like an unmounted root or a
 * mass delete, reconcile against the recorded state, and carry the plan out (or print it, for a dry run).
 */
public final class BisyncJob {
    private static final DateTimeFormatter TRASH_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final BisyncOptions options;
    private final Clock clock;
    private final PrintWriter out;
    private final PrintWriter err;
    private final BisyncCounts counts = new BisyncCounts();

    public BisyncJob(BisyncOptions options, Clock clock, PrintWriter out, PrintWriter err) {
        this.options = options;
        this.clock = clock;
        this.out = out;
        this.err = err;
    }

    public BisyncCounts counts() {
        return counts;
    }

    /** Runs the job; the conflicts it met come back for the e-mail. Fatal problems are {@link JobFailure}s. */
    public List<Action.Conflict> run() throws InterruptedException {
        Instant started = clock.instant();
        try (StatThreads stats = StatThreads.none();
             Roots roots = JobTrees.open(options.left(), List.of(options.right()), options.remote(),
                     options.checksum(), stats, true)) {
            PathNames names = PathNames.of(roots);
            if (options.dryRun() && !Files.exists(options.dbPath())) {
                try (BacklogStore scratch = BacklogStore.openTemporary(names)) {
                    return runWith(scratch, roots, started);
                }
            }
            try (JobLock lock = options.dryRun() ? null : JobLock.acquire(options.dbPath());
                 BacklogStore store = options.dryRun() ? BacklogStore.openReadOnly(options.dbPath(), names)
                         : BacklogStore.open(options.dbPath(), names)) {
                return runWith(store, roots, started);
            } catch (IOException e) {
                throw JobFailure.fatal("cannot release the lock of " + options.dbPath() + ": " + e.getMessage(), e);
            }
        }
    }

    private List<Action.Conflict> runWith(BacklogStore store, Roots roots, Instant started)
            throws InterruptedException {
        Tree left = roots.source();
        Tree right = roots.destinations().get(0);
        if (!options.dryRun()) {
            store.bindJob("bisync " + left.root(), List.of(right.root())).ifPresent(other -> {
                throw new JobFailure(JobFailure.Kind.USAGE, "the db " + options.dbPath() + " belongs to "
                        + other + "; give this job its own --db");
            });
        }
        java.util.Map<String, Tree> named = new java.util.LinkedHashMap<>();
        named.put("left", left);
        named.put("right", right);
        new MountGuard(MountGuard.REAL).check(named, store.settings(), options.allowFsChange(), !options.dryRun(),
                new dev.duplex.report.TransferListener() {
                    @Override
                    public void notice(String message) {
                        warn(message);
                    }

                    @Override
                    public void warning(String message) {
                        warn(message);
                    }
                });
        Map<RelPath, dev.duplex.backlog.PairRow> rows = store.bisync().loadAll();
        BisyncScope scope = new BisyncScope(options, left, right, this::warn);
        BisyncScope.Sides sides = scope.read(rows);
        Map<RelPath, Recorded> recorded = Versions.recorded(scope.inScope(rows), options.checksum().cliName() + ":");
        ReconcileOptions reconcile = new ReconcileOptions(options.conflicts().changed(),
                options.conflicts().created(), options.conflicts().renamed(), rows.isEmpty(),
                options.conflicts().zone());
        Plan plan = new Hashing(left, right, options.checksum(), this::warn).plan(recorded, sides.left(),
                sides.right(), reconcile);
        if (options.dryRun()) {              // the plan first, then whether a real run would refuse it
            DryRunReport.print(out, sides.left(), sides.right(), plan);
            BisyncGuards.check(options, plan, rows, left, right);
            return plan.all(Action.Conflict.class);
        }
        BisyncGuards.check(options, plan, rows, left, right);
        return execute(store, plan, sides, left, right, started);
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
            warn("removed " + removed + " temp file" + (removed == 1 ? "" : "s") + " left by an interrupted run in "
                    + tree.root());
        }
    }

    private void warn(String message) {
        err.println("duplex bisync: " + message);
        err.flush();
    }

    private List<Action.Conflict> execute(BacklogStore store, Plan plan, BisyncScope.Sides sides, Tree left,
                                          Tree right, Instant started) throws InterruptedException {
        long runId = store.startRun(started, ProcessHandle.current().pid(), "bisync " + left.root() + " "
                + right.root());
        String stamp = TRASH_STAMP.format(started.atZone(options.conflicts().zone()));
        sweep(left, sides.leftTemps());
        sweep(right, sides.rightTemps());
        try (AuditLog log = AuditLog.open(options.logPath(), clock)) {
            Executor executor = BisyncExecutors.create(left, right, store, new BisyncAudit(log), options, stamp,
                    counts, sides.incomplete(), this::warn, clock);
            if (options.verbose()) {
                executor.tellEachAction(line -> {
                    out.println(line);
                    out.flush();
                });
            }
            try {
                executor.run(plan, sides.left(), sides.right());
            } finally {
                log.flush();
                store.bisync().replaceConflicts(options.only().orElse(RelPath.ROOT), executor.unresolved());
                store.bisync().pruneTombstones(clock.instant().minus(options.keepTombstones()));
                store.commit();
                store.finishRun(runId, BisyncExecutors.runEnd(counts, clock.instant(), started));
            }
            return executor.conflicts();
        } catch (IOException e) {
            throw JobFailure.fatal("cannot write the audit log " + options.logPath() + ": " + e.getMessage(), e);
        }
    }
}
