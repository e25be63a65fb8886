package dev.duplex.watch;

import dev.duplex.bisync.Action;
import dev.duplex.bisync.BisyncCounts;
import dev.duplex.job.BisyncOptions;
import dev.duplex.job.BisyncSession;
import dev.duplex.job.JobFailure;
import dev.duplex.report.AuditLog;
import dev.duplex.tree.RelPath;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * {@code duplex bisync --watch}: a full reconcile, then each change on either side carried over as it happens.
 * Events ({@link TreeWatcher}) mark paths; a path quiet for the debounce is synced in a pass of just the touched
 * paths, smallest first, large files in a lane of their own ({@link LargeLane}) so small ones never wait behind
 * them. A full reconcile runs every {@code --full-scan-interval}, at once after an event overflow, and whenever a
 * pass could not run (a root unreachable: reported, and retried with a growing pause). Stops on interrupt
 * (SIGTERM/SIGINT): the file in flight is abandoned (its temp removed), what was done is recorded.
 */
public final class BisyncWatch {
    private static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    private static final Duration LAST_RETRY = Duration.ofMinutes(5);
    private static final Duration ROOT_CHECK = Duration.ofSeconds(5);

    private final BisyncOptions options;
    private final WatchSettings settings;
    private final Clock clock;
    private final PrintWriter out;
    private final Consumer<String> warnings;
    private final boolean quiet;
    private final BiConsumer<List<Action.Conflict>, BisyncCounts> afterPass;
    private final BisyncCounts totals = new BisyncCounts();
    private final WatchQueue queue;
    private Duration retry = FIRST_RETRY;
    private Optional<String> lastProblem = Optional.empty();

    public BisyncWatch(BisyncOptions options, WatchSettings settings, Clock clock, PrintWriter out,
                       Consumer<String> warnings, boolean quiet,
                       BiConsumer<List<Action.Conflict>, BisyncCounts> afterPass) {
        this.options = options;
        this.settings = settings;
        this.clock = clock;
        this.out = out;
        this.warnings = warnings;
        this.quiet = quiet;
        this.afterPass = afterPass;
        this.queue = new WatchQueue(settings.debounce().toNanos());
    }

    public BisyncCounts totals() {
        return totals;
    }

    /** Runs until interrupted (the InterruptedException is the normal way out). */
    public void run() throws InterruptedException {
        Instant started = clock.instant();
        InterruptedException stopped = null;
        WatchStatus status = new WatchStatus(dev.duplex.report.WatchStateFile.fileFor(options.dbPath()), started,
                ProcessHandle.current().pid());
        try (BisyncSession session = BisyncSession.open(options, warnings);
             AuditLog log = AuditLog.open(options.logPath(), clock)) {
            session.checkRoots();                 // missing at the start: exit 4, as for a run (a service restarts)
            long runId = session.store().startRun(started, ProcessHandle.current().pid(), "bisync --watch "
                    + session.left().root() + " " + session.right().root());
            session.store().commit();
            DeleteWindow window = new DeleteWindow();
            PassRunner main = new PassRunner(options, session, log, warnings,
                    dev.duplex.job.BisyncPass.eachAction(options.verbose(), out), clock, window);
            try (Watchers watchers = Watchers.start(options, queue, status, warnings);
                 HealthServer health = startHealth(status);
                 LargeLane lane = LargeLane.open(options, session, log, warnings, clock, queue, watchers.allLocal(),
                         window)) {
                out.println("duplex bisync: watching " + session.left().root() + " and " + session.right().root()
                        + " (" + watchers.describe() + "); debounce " + settings.debounce().toMillis() + " ms, full "
                        + "reconcile every " + settings.fullScanInterval().toSeconds() + " s"
                        + (health == null ? "" : "; health at http://" + hostOf(settings) + ":" + health.port()
                        + "/health"));
                out.flush();
                loop(main, lane, status, watchers);
            } catch (InterruptedException stop) {
                stopped = stop;
                Thread.interrupted();             // the audit log and the lane close cleanly, then the stop goes on
            } finally {
                session.store().commit();         // a read left open would hold an old snapshot (the lane wrote)
                session.store().bisync().pruneTombstones(clock.instant().minus(options.keepTombstones()));
                session.store().commit();
                session.store().finishRun(runId, dev.duplex.job.BisyncPass.runEnd(totals, clock.instant(), started));
                status.remove();
            }
        } catch (IOException e) {
            throw JobFailure.fatal("cannot write the audit log " + options.logPath() + ": " + e.getMessage(), e);
        }
        if (stopped != null) {
            throw stopped;
        }
    }

    private void loop(PassRunner main, LargeLane lane, WatchStatus status, Watchers watchers)
            throws InterruptedException {
        long nextFull = System.nanoTime();
        long nextRootCheck = System.nanoTime() + ROOT_CHECK.toNanos();
        queue.requestFullScan();                  // the first pass: everything
        while (true) {
            lane.drain().forEach(r -> finished(r, status, main));
            if (System.nanoTime() - nextRootCheck >= 0) {    // an unmount raises no event: look now and then
                nextRootCheck = System.nanoTime() + ROOT_CHECK.toNanos();
                if (main.rootsProblem().isPresent()) {
                    awaitRoots(main, status, watchers);
                    continue;
                }
                if (watchers.rootsReplaced()) {   // moved away and another put in its place: watch the new one
                    warnings.accept("a root was replaced by another directory; watching it afresh");
                    watchers.restart();
                    queue.requestFullScan();
                }
            }
            WatchQueue.Next next = queue.next(System.nanoTime(), nextFull, lane.busy());
            status.pending(queue.size() + lane.busy().size());
            if (next.full()) {
                if (!lane.busy().isEmpty()) {     // a full pass reads everything: the lane's file first
                    queue.await(System.nanoTime() + ROOT_CHECK.toNanos(), next.seen());
                    continue;
                }
                if (queue.takeRewatch() && main.rootsProblem().isEmpty()) {
                    watchers.restart();           // a root was replaced or remounted: its old watches are dead
                }
                long start = System.nanoTime();
                LaneResult r = main.run(List.of());
                finished(r, status, main);
                if (r.refused().isEmpty()) {
                    retry = FIRST_RETRY;
                    queue.fullScanDone(start);
                    nextFull = start + settings.fullScanInterval().toNanos();
                    System.gc();          // a full pass held every path; an idle service gives that memory back
                } else if (main.rootsProblem().isPresent()) {
                    awaitRoots(main, status, watchers);
                } else {                          // refused with both roots there (--max-delete): not every second
                    queue.pause(System.nanoTime() + retry.toNanos());
                    retry = retry.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : retry.multipliedBy(2);
                    queue.requestFullScan();
                }
            } else if (!next.ready().isEmpty()) {
                List<Sizes.Sized> batch = new ArrayList<>();
                next.ready().forEach(p -> batch.add(main.sized(p)));
                List<RelPath> rest = new ArrayList<>();
                for (RelPath p : Sizes.split(batch, settings.largeFile(), lane.available(), rest)) {
                    lane.submit(p);
                }
                if (!rest.isEmpty()) {            // one pass: both ends of a rename, and --max-delete, see them all
                    finished(main.run(rest), status, main);
                }
            } else {
                queue.await(Math.min(next.wakeAt(), nextRootCheck), next.seen());
            }
        }
    }

    /**
     * A root is unreachable: report it (health 503), look again every few seconds, and once both are back watch
     * them afresh (an unmount ends the watches below it) and reconcile in full.
     */
    private void awaitRoots(PassRunner main, WatchStatus status, Watchers watchers) throws InterruptedException {
        for (Optional<String> problem = main.rootsProblem(); problem.isPresent(); problem = main.rootsProblem()) {
            status.error(problem);
            status.save();
            if (!problem.equals(lastProblem)) {
                warnings.accept(problem.get() + " (watching on; syncing again once it is back)");
                lastProblem = problem;
            }
            queue.pause(System.nanoTime() + ROOT_CHECK.toNanos());
        }
        watchers.restart();
        queue.requestFullScan();
    }

    /** Records what a pass did: totals, the summary line, mails, retries of failed paths, the status. */
    private void finished(LaneResult r, WatchStatus status, PassRunner main) {
        totals.add(r.counts());
        if (r.refused().isPresent()) {
            status.error(r.refused());
            if (!r.refused().equals(lastProblem)) {
                warnings.accept(r.refused().get() + " (watching on; retrying)");
            }
            lastProblem = r.refused();
            if (!r.full()) {
                queue.requestFullScan();          // what this pass held is taken up by the full one
            }
            status.save();
            return;
        }
        if (lastProblem.isPresent()) {
            out.println("duplex bisync: both roots are back; syncing again");
            lastProblem = Optional.empty();
        }
        status.error(Optional.empty());
        queue.retry(r.failed());
        List<RelPath> synced = new ArrayList<>(r.paths());
        synced.removeAll(r.failed());
        queue.succeeded(synced);
        if (r.counts().changedAnything() && !quiet) {
            out.println("duplex bisync: " + (r.full() ? "full reconcile" : r.paths().size() + " path"
                    + (r.paths().size() == 1 ? "" : "s")) + ": " + r.counts().summary());
            out.flush();
        }
        afterPass.accept(r.conflicts(), r.counts());
        status.synced(clock.instant(), main.unresolvedConflicts(), r.full());
        status.save();
    }

    private HealthServer startHealth(WatchStatus status) {
        if (settings.health().isEmpty()) {
            return null;
        }
        try {
            return HealthServer.start(settings.health().get(), status);
        } catch (IOException e) {
            throw JobFailure.fatal("cannot serve --health-listen " + hostOf(settings) + ":"
                    + settings.health().get().getPort() + ": " + e.getMessage(), e);
        }
    }

    private static String hostOf(WatchSettings s) {
        String host = s.health().map(a -> a.getHostString()).orElse("");
        return host.contains(":") ? "[" + host + "]" : host;
    }

}
