package dev.duplex.tree;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that read entries' metadata ahead of local walks ({@code --scan-threads}), one pool shared by every
 * local tree of a job, made when a walk first needs it. Close it when the job ends.
 */
public final class StatThreads implements AutoCloseable {
    /** The pool size of {@code --scan-threads auto}, for trees on shares. */
    public static final int AUTO = 8;

    private final int configured;
    private ExecutorService pool;

    /** @param configured {@code --scan-threads}: 0 = auto (a pool for trees on shares only), 1 = none, N = N */
    public StatThreads(int configured) {
        if (configured < 0) {
            throw new IllegalArgumentException("statThreads must not be negative, not " + configured);
        }
        this.configured = configured;
    }

    /** No pool: each entry is read on its walk's thread. */
    public static StatThreads none() {
        return new StatThreads(1);
    }

    int size() {
        return configured == 0 ? AUTO : configured;
    }

    /** The pool for a walk of a tree on a local disk or not; null when that walk reads entries itself. */
    synchronized ExecutorService poolFor(boolean localDisk) {
        boolean pooled = configured > 1 || (configured == 0 && !localDisk);
        if (!pooled) {
            return null;
        }
        if (pool == null) {
            AtomicInteger threadNo = new AtomicInteger();
            pool = Executors.newFixedThreadPool(size(), r -> {
                Thread t = new Thread(r, "duplex-scan-stat" + threadNo.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
        return pool;
    }

    @Override
    public synchronized void close() {
        if (pool != null) {
            pool.shutdownNow();
            pool = null;
        }
    }
}
