package dev.duplex.watch;

import dev.duplex.bisync.Side;
import dev.duplex.tree.RelPath;
import java.util.List;
import java.util.Set;

/**
 * Where the watchers' events meet the watch's loop: the pending paths, the request for a full reconcile, and the
 * wake-ups. Watchers and the large-file lane call in from their threads; the loop waits here for the next thing
 * to do (an event, a path's debounce ending, the full-scan time) without polling.
 */
final class WatchQueue implements TreeWatcher.Sink {
    private final PendingPaths pending;
    private boolean fullScan;
    private long fullScanAsked;           // nanoTime of the last request
    private boolean rewatchAsked;
    private volatile long events;
    private long changes;                 // bumped by everything that can give the loop work

    /**
     * What the loop does next: a full reconcile, a pass of {@code ready} paths, or wait until {@code wakeAt} unless
     * something arrives after {@code seen}.
     */
    record Next(boolean full, List<RelPath> ready, long wakeAt, long seen) {
    }

    WatchQueue(long debounceNanos) {
        pending = new PendingPaths(debounceNanos);
    }

    @Override
    public synchronized void touched(Side side, RelPath path) {
        pending.touch(path, System.nanoTime());
        events++;
        changed();
    }

    @Override
    public synchronized void untrusted(Side side, String why, boolean rescanNow, boolean rewatch) {
        rewatchAsked |= rewatch;
        if (rescanNow) {
            requestFullScan();
        }
    }

    /** Whether a watcher lost its root since the last call (the watchers are then started again). */
    synchronized boolean takeRewatch() {
        boolean r = rewatchAsked;
        rewatchAsked = false;
        return r;
    }

    /** Events seen so far. */
    long events() {
        return events;
    }

    synchronized void requestFullScan() {
        fullScan = true;
        fullScanAsked = System.nanoTime();
        changed();
    }

    private void changed() {
        changes++;
        notifyAll();
    }

    /** A full reconcile that started at {@code start} (nanoTime) is done: what it saw needs no pass of its own. */
    synchronized void fullScanDone(long start) {
        if (fullScanAsked - start < 0) {   // one asked for while it ran (another overflow) still runs
            fullScan = false;
        }
        pending.forgetBefore(start);
    }

    synchronized Next next(long now, long nextFull, Set<RelPath> busy) {
        if (fullScan || now - nextFull >= 0) {
            return new Next(true, List.of(), now, changes);
        }
        List<RelPath> ready = pending.takeReady(now, busy);
        long wake = pending.nextReady(busy).orElse(nextFull);
        return new Next(false, ready, nextFull - wake < 0 ? nextFull : wake, changes);
    }

    synchronized int size() {
        return pending.size();
    }

    /** Paths whose pass failed: tried again after the debounce (a file still held open by a writer, say). */
    synchronized void retry(List<RelPath> paths) {
        pending.retry(paths, System.nanoTime());
        changed();
    }

    synchronized void succeeded(List<RelPath> paths) {
        pending.succeeded(paths);
    }

    /** Waits until {@code deadline} (nanoTime), or until something arrived after {@code seen}. */
    synchronized void await(long deadline, long seen) throws InterruptedException {
        while (changes == seen) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Waits until {@code deadline} (nanoTime) whatever arrives: the pause before retrying a refused pass. */
    synchronized void pause(long deadline) throws InterruptedException {
        for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** The current change count, for an {@link #await} that is to wake only on news. */
    synchronized long seen() {
        return changes;
    }

    /** Wakes the loop (the lane finished a file). */
    synchronized void wake() {
        changed();
    }
}
