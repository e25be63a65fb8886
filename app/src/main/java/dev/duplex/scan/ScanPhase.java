package dev.duplex.scan;

import dev.duplex.backlog.BacklogStore;
import dev.duplex.report.TransferListener;
import dev.duplex.report.TransferStats;
import dev.duplex.tree.Entry;
import dev.duplex.tree.EntryKind;
import dev.duplex.tree.Tree;
import dev.duplex.tree.WalkResult;
import dev.duplex.tree.WalkRules;
import dev.duplex.tree.WalkSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Seed 001 §2.2: walks the source and every destination in parallel, each on its own thread and not
 * synchronised with the others, and merges what they find into the backlog on the calling (db) thread.
 */
public final class ScanPhase {
    private static final int QUEUE_BATCHES = 8; // walks run ahead of the merge by at most 8 batches: flat memory

    private final Tree source;
    private final List<Tree> destinations;
    private final ScanRules rules;

    /** @param rules what the walks leave out, and which destination files are duplex's own (sidecars, markers) */
    public ScanPhase(Tree source, List<Tree> destinations, ScanRules rules) {
        this.source = source;
        this.destinations = List.copyOf(destinations);
        this.rules = rules;
    }

    public ScanOutcome run(BacklogStore store, TransferStats stats, TransferListener listener)
            throws InterruptedException {
        AtomicInteger threadNo = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(1 + destinations.size(), r -> {
            Thread t = new Thread(r, threadNo.getAndIncrement() == 0 ? "duplex-scan-source"
                    : "duplex-scan-dest" + (threadNo.get() - 1));
            t.setDaemon(true);
            return t;
        });
        try {
            BlockingQueue<ScanBatch> sourceQueue = new ArrayBlockingQueue<>(QUEUE_BATCHES);
            Future<WalkResult> sourceWalk = pool.submit(() -> walk(source, rules.sourceWalk(), Tree.Detail.FULL,
                    sourceQueue, listener, e -> {
                        if (e.kind() == EntryKind.FILE && !e.excluded()) {
                            stats.sourceFileScanned(e.metadata().sizeBytes());
                        }
                    }));
            List<BlockingQueue<ScanBatch>> destQueues = new ArrayList<>();
            List<Future<WalkResult>> destWalks = new ArrayList<>();
            for (Tree dest : destinations) {
                BlockingQueue<ScanBatch> q = new ArrayBlockingQueue<>(QUEUE_BATCHES);
                destQueues.add(q);
                destWalks.add(pool.submit(() -> walk(dest, rules.destinationWalk(), Tree.Detail.BASIC, q, listener,
                        e -> {
                            if (e.kind() == EntryKind.FILE) {
                                stats.destFileScanned();
                            }
                        })));
            }
            long scanId = store.beginScan(rules.filter().describe());
            ScanMerger merger = new ScanMerger(source, store, scanId, listener, stats, rules);
            ScanOutcome partial = merger.merge(sourceQueue, destQueues);
            WalkResult walked = result(sourceWalk);
            for (Future<WalkResult> w : destWalks) {
                result(w);
            }
            store.finishScan(scanId, walked.unreadable() == 0);
            return new ScanOutcome(partial.sourceFiles(), partial.sourceBytes(), partial.pendingFiles(),
                    partial.pendingBytes(), partial.upToDateFiles(), partial.skippedSpecial(), partial.symlinks(),
                    partial.extras(), partial.staleTemps(), partial.typeConflicts(), walked.unreadable(),
                    new ScanOutcome.Excluded(walked.excludedFiles(), walked.excludedBytes(),
                            walked.excludedDirectories()));
        } finally {
            pool.shutdownNow();
        }
    }

    /** One tree's walk on a scan thread, into its queue, always ending it with {@link ScanBatch#END}. */
    private static WalkResult walk(Tree tree, WalkRules rules, Tree.Detail detail, BlockingQueue<ScanBatch> out,
                                   TransferListener listener, Consumer<Entry> onEntry) throws Exception {
        boolean ended = false;
        try {
            WalkResult result = walkOrSay(tree, rules, detail, new WalkSink() {
                @Override
                public void entries(List<Entry> batch) throws InterruptedException {
                    batch.forEach(onEntry);
                    out.put(new ScanBatch(batch, false));
                }

                @Override
                public void warning(String message) {
                    listener.warning(message);
                }
            });
            out.put(ScanBatch.END);
            ended = true;
            return result;
        } finally {
            if (!ended) {
                out.offer(ScanBatch.END); // the merger may be waiting for us; never leave it blocked
            }
        }
    }

    /** The walk; a failure of the whole walk (a daemon lost for good) names the tree. */
    private static WalkResult walkOrSay(Tree tree, WalkRules rules, Tree.Detail detail, WalkSink sink)
            throws IOException, InterruptedException {
        try {
            return tree.walk(rules, detail, sink);
        } catch (IOException e) {
            throw new IOException("cannot walk " + tree.root() + ": " + e.getMessage(), e);
        }
    }

    /**
     * A walk's result.
     *
     * @throws UncheckedIOException when the walk failed as a whole (the run cannot go on: exit 4)
     */
    private static WalkResult result(Future<WalkResult> walk) throws InterruptedException {
        try {
            return walk.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw new UncheckedIOException(io.getMessage(), io);
            }
            throw new IllegalStateException("a scan thread failed: " + e.getCause(), e.getCause());
        }
    }
}
