package dev.duplex.job;

import dev.duplex.bisync.Action;
import dev.duplex.bisync.BisyncCounts;
import dev.duplex.report.AuditLog;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code duplex bisync LEFT RIGHT}: lock the job, read both sides, refuse what looks like an unmounted root or a
 * mass delete, reconcile against the recorded state, and carry the plan out (or print it, for a dry run).
 */
public final class BisyncJob {
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
        try (BisyncSession session = BisyncSession.open(options, this::warn)) {
            BisyncPass pass = new BisyncPass(options, session, this::warn, clock);
            BisyncPass.Planned planned = pass.planAll();
            if (options.dryRun()) {              // the plan first, then whether a real run would refuse it
                BisyncPass.print(out, planned);
                pass.guard(planned);
                return planned.conflicts();
            }
            pass.guard(planned);
            long runId = session.store().startRun(started, ProcessHandle.current().pid(), "bisync "
                    + session.left().root() + " " + session.right().root());
            List<Action.Conflict> conflicts = new ArrayList<>();
            try (AuditLog log = AuditLog.open(options.logPath(), clock)) {
                try {
                    pass.execute(planned, log, counts, started, BisyncPass.eachAction(options.verbose(), out), conflicts);
                } finally {
                    session.store().bisync().pruneTombstones(clock.instant().minus(options.keepTombstones()));
                    session.store().commit();
                    session.store().finishRun(runId, BisyncExecutors.runEnd(counts, clock.instant(), started));
                }
                return conflicts;
            } catch (IOException e) {
                throw JobFailure.fatal("cannot write the audit log " + options.logPath() + ": " + e.getMessage(), e);
            }
        }
    }

    private void warn(String message) {
        err.println("duplex bisync: " + message);
        err.flush();
    }
}
