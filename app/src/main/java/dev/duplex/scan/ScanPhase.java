package dev.duplex.scan;

import dev.duplex.backlog.BacklogStore;
import dev.duplex.report.TransferListener;
import dev.duplex.report.TransferStats;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Seed 001 §2.2: walks the source and every destination in parallel, each on its own thread and not
 * synchronised with the others, and merges what they find into the backlog on the calling (db) thread.
 */
public final class ScanPhase {
    /** The stat threads of --scan-threads auto, for trees on shares. */
    public static final int AUTO_STAT_THREADS = 8;
    private static final int QUEUE_BATCHES = 8; // walks run ahead of the merge by at most 8 x 500 entries: flat memory

    private final Path sourceRoot;
    private final List<Path> destRoots;
    private final ScanRules rules;
    private final int statThreads;

    /**
     * @param rules what the walks leave out, and which destination files are duplex's own (sidecars, markers)
     * @param statThreads threads reading entries' metadata ahead of the walks ({@code --scan-threads}), shared by
     *     all of them; 1 reads each entry on its walk's own thread; 0 (auto) gives {@link #AUTO_STAT_THREADS} to
     *     the walks of trees on shares and none to local ones, whose scan is bound by CPU, not by latency
     */
    public ScanPhase(Path sourceRoot, List<Path> destRoots, ScanRules rules, int statThreads) {
        if (statThreads < 0) {
            throw new IllegalArgumentException("statThreads must not be negative, not " + statThreads);
        }
        this.sourceRoot = sourceRoot;
        this.destRoots = List.copyOf(destRoots);
        this.rules = rules;
        this.statThreads = statThreads;
    }

    public ScanOutcome run(BacklogStore store, TransferStats stats, TransferListener listener)
            throws InterruptedException {
        AtomicInteger threadNo = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(1 + destRoots.size(), r -> {
            Thread t = new Thread(r, threadNo.getAndIncrement() == 0 ? "duplex-scan-source"
                    : "duplex-scan-dest" + (threadNo.get() - 1));
            t.setDaemon(true);
            return t;
        });
        int poolSize = statThreads == 0 ? AUTO_STAT_THREADS : statThreads;
        boolean sourcePooled = usesPool(sourceRoot);
        List<Boolean> destPooled = destRoots.stream().map(this::usesPool).toList();
        ExecutorService statPool = sourcePooled || destPooled.contains(true) ? newStatPool(poolSize) : null;
        try {
            BlockingQueue<ScanBatch> sourceQueue = new ArrayBlockingQueue<>(QUEUE_BATCHES);
            Future<WalkResult> sourceWalk = pool.submit(new TreeWalker(sourceRoot, TreeWalker.Detail.FULL,
                    rules.sourceWalk(), sourceQueue, listener, e -> {
                        if (e.kind() == EntryKind.FILE) {
                            stats.sourceFileScanned(e.metadata().sizeBytes());
                        }
                    }, sourcePooled ? statPool : null, poolSize));
            List<BlockingQueue<ScanBatch>> destQueues = new ArrayList<>();
            List<Future<WalkResult>> destWalks = new ArrayList<>();
            for (int d = 0; d < destRoots.size(); d++) {
                Path root = destRoots.get(d);
                ExecutorService destPool = destPooled.get(d) ? statPool : null;
                BlockingQueue<ScanBatch> q = new ArrayBlockingQueue<>(QUEUE_BATCHES);
                destQueues.add(q);
                destWalks.add(pool.submit(new TreeWalker(root, TreeWalker.Detail.BASIC, rules.destinationWalk(), q,
                        listener, e -> {
                    if (e.kind() == EntryKind.FILE) {
                        stats.destFileScanned();
                    }
                }, destPool, poolSize)));
            }
            long scanId = store.beginScan(rules.filter().describe());
            ScanMerger merger = new ScanMerger(sourceRoot, destRoots, store, scanId, listener, stats, rules);
            ScanOutcome partial = merger.merge(sourceQueue, destQueues);
            WalkResult source = result(sourceWalk);
            for (Future<WalkResult> w : destWalks) {
                result(w);
            }
            store.finishScan(scanId, source.unreadable() == 0);
            return new ScanOutcome(partial.sourceFiles(), partial.sourceBytes(), partial.pendingFiles(),
                    partial.pendingBytes(), partial.upToDateFiles(), partial.skippedSpecial(), partial.symlinks(),
                    partial.extras(), partial.staleTemps(), partial.typeConflicts(), source.unreadable(),
                    new ScanOutcome.Excluded(source.excludedFiles(), source.excludedBytes(),
                            source.excludedDirectories()));
        } finally {
            pool.shutdownNow();
            if (statPool != null) {
                statPool.shutdownNow();
            }
        }
    }

    private static ExecutorService newStatPool(int size) {
        AtomicInteger threadNo = new AtomicInteger();
        return Executors.newFixedThreadPool(size, r -> {
            Thread t = new Thread(r, "duplex-scan-stat" + threadNo.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    private boolean usesPool(Path root) {
        return statThreads > 1 || (statThreads == 0 && !LocalFileSystem.isLocal(root));
    }

    private static WalkResult result(Future<WalkResult> walk) throws InterruptedException {
        try {
            return walk.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("a scan thread failed: " + e.getCause(), e.getCause());
        }
    }
}
