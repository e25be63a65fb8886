package dev.duplex.transfer;

import dev.duplex.backlog.FileRow;
import dev.duplex.commit.DestinationGuard;
import dev.duplex.commit.TimestampApplier;
import dev.duplex.report.TransferStats;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * The transfer phase: one reader thread feeding one bounded {@link ArrayBlockingQueue} per destination, one writer
 * thread per destination, and the {@link CommitStage} on the calling thread, which renames each file into place
 * once every writer that needs it has it complete, and hands the result to the {@link CommitSink}. Reads, writes
 * and commits of consecutive files overlap; a slow destination stalls the reader only when its own queue is full.
 */
public final class TransferPipeline {
    private final PipelineSettings settings;
    private final TransferStats stats;
    private final SourceReader.SourceOpener opener;
    private final DestinationWriter.TempOpener tempOpener;
    private final CommitStage.Renamer renamer;
    private final TimestampApplier timestamps = new TimestampApplier();

    public TransferPipeline(PipelineSettings settings, TransferStats stats) {
        this(settings, stats, SourceReader.SourceOpener.DEFAULT, DestinationWriter.TempOpener.DEFAULT,
                CommitStage.Renamer.DEFAULT);
    }

    TransferPipeline(PipelineSettings settings, TransferStats stats, SourceReader.SourceOpener opener) {
        this(settings, stats, opener, DestinationWriter.TempOpener.DEFAULT, CommitStage.Renamer.DEFAULT);
    }

    TransferPipeline(PipelineSettings settings, TransferStats stats, SourceReader.SourceOpener opener,
                     DestinationWriter.TempOpener tempOpener, CommitStage.Renamer renamer) {
        this.settings = settings;
        this.stats = stats;
        this.opener = opener;
        this.tempOpener = tempOpener;
        this.renamer = renamer;
    }

    /** Copies every row; returns when every thread has ended. Worker failures are rethrown here. */
    public void run(Iterator<FileRow> rows, CommitSink sink) throws InterruptedException {
        int n = settings.destinations();
        BlockingQueue<PipelineEvent> events = new LinkedBlockingQueue<>(4096);
        List<BlockingQueue<Block>> queues = new ArrayList<>();
        List<IntSupplier> depths = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            BlockingQueue<Block> q = new ArrayBlockingQueue<>(settings.queueCapacity());
            queues.add(q);
            depths.add(q::size);
        }
        stats.queueDepths(depths);
        // Under a bandwidth limit a block is one paced read: whole 5 MiB blocks would reach the destination in
        // quarter-second steps at 20 MB/s, and a one-second window could carry 25% more than the limit.
        int blockBytes = settings.limiter().chunkBytes(settings.blockSizeBytes());
        BufferPool pool = new BufferPool(settings.queueCapacity() + 3, blockBytes);
        AtomicInteger threadNo = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(1 + n, r -> {
            int k = threadNo.getAndIncrement();
            Thread t = new Thread(r, k == 0 ? "duplex-reader" : "duplex-writer-" + k);
            t.setDaemon(true);
            return t;
        });
        try {
            Future<Long> reader = threads.submit(new SourceReader(rows, queues, events, pool, settings.algorithm(),
                    settings.limiter(), stats, settings.clock(), settings.stableFor(), blockBytes,
                    settings.retry(), opener));
            List<Future<Void>> writers = new ArrayList<>();
            boolean fsync = settings.fsync() || n > 1;
            for (int i = 0; i < n; i++) {
                writers.add(threads.submit(new DestinationWriter(i, queues.get(i), events, stats, timestamps,
                        settings.algorithm(), settings.verify(), fsync, tempOpener,
                        new DestinationGuard(settings.destinationRoots()))));
            }
            CommitStage commit = new CommitStage(n, sink, renamer, settings.sidecar());
            try {
                commit.drain(events);
            } catch (InterruptedException | RuntimeException e) {
                stopWorkers(threads);
                commit.abandon(events);
                throw e;
            }
            await(reader);
            for (Future<Void> w : writers) {
                await(w);
            }
        } finally {
            stopWorkers(threads);
            stats.queueDepths(List.of());
        }
    }

    /**
     * Interrupts the reader and writers and waits (bounded) until they have ended, so that each has removed the
     * temp file it was writing before the run reports itself stopped.
     */
    private static void stopWorkers(ExecutorService threads) {
        threads.shutdownNow();
        boolean interrupted = Thread.interrupted();
        try {
            if (!threads.awaitTermination(20, java.util.concurrent.TimeUnit.SECONDS)) {
                org.slf4j.LoggerFactory.getLogger(TransferPipeline.class)
                        .warn("transfer threads did not stop within 20 s; their temp files are swept next run");
            }
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void await(Future<?> worker) throws InterruptedException {
        try {
            worker.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("a transfer thread failed: " + cause, cause);
        }
    }
}
