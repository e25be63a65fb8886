package dev.duplex.watch;

import dev.duplex.job.BisyncOptions;
import dev.duplex.job.BisyncSession;
import dev.duplex.report.AuditLog;
import dev.duplex.tree.RelPath;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A thread of its own for large files, with its own db connection: while it copies one, the watch's loop goes on
 * syncing small files. One file per pass, in the order given (smallest first). Used when both sides are local
 * paths; with a {@code duplex://} side everything goes through the loop (one connection to the daemon).
 */
final class LargeLane implements AutoCloseable {
    private final ExecutorService thread;
    private final BisyncSession own;
    private final PassRunner runner;
    private final WatchQueue queue;
    private final Set<RelPath> busy = ConcurrentHashMap.newKeySet();
    private final Queue<LaneResult> done = new ConcurrentLinkedQueue<>();

    private LargeLane(ExecutorService thread, BisyncSession own, PassRunner runner, WatchQueue queue) {
        this.thread = thread;
        this.own = own;
        this.runner = runner;
        this.queue = queue;
    }

    static LargeLane open(BisyncOptions options, BisyncSession session, AuditLog log, Consumer<String> warnings,
                          Clock clock, WatchQueue queue, boolean enabled, DeleteWindow window) {
        if (!enabled) {
            return new LargeLane(null, null, null, queue);
        }
        BisyncSession own = session.sibling();
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "duplex-watch-large");
            t.setDaemon(true);
            return t;
        });
        return new LargeLane(thread, own, new PassRunner(options, own, log, warnings, Optional.empty(), clock, window), queue);
    }

    boolean available() {
        return thread != null;
    }

    /** The paths being synced here now. */
    Set<RelPath> busy() {
        return Set.copyOf(busy);
    }

    void submit(RelPath path) {
        busy.add(path);
        thread.submit(() -> {
            try {
                done.add(runner.run(List.of(path)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();       // stopping: the loop is on its way out too
            } catch (RuntimeException e) {
                done.add(new LaneResult(List.of(path), false, new dev.duplex.bisync.BisyncCounts(), List.of(),
                        List.of(path), Optional.empty()));
            } finally {
                busy.remove(path);
                queue.wake();
            }
        });
    }

    /** The passes finished since the last call. */
    List<LaneResult> drain() {
        List<LaneResult> out = new ArrayList<>();
        for (LaneResult r = done.poll(); r != null; r = done.poll()) {
            out.add(r);
        }
        return out;
    }

    /** Stops the lane: the file in flight is abandoned (its temp removed by the copy), then the connection closed. */
    @Override
    public void close() {
        if (thread == null) {
            return;
        }
        thread.shutdownNow();
        boolean stopping = Thread.interrupted();          // wait for the lane's clean stop (its temp removed)
        try {
            thread.awaitTermination(20, TimeUnit.SECONDS);    // within the stop's 30 s grace
        } catch (InterruptedException e) {
            stopping = true;
        } finally {
            own.close();
            if (stopping) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
