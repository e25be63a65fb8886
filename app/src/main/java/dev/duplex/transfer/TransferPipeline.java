package dev.duplex.transfer;

import dev.duplex.digest.FileDigest;
import dev.duplex.WorkerResults;
import dev.duplex.backlog.FileRow;
import dev.duplex.tree.Roots;
import dev.duplex.report.TransferStats;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * The transfer phase. A lane is one reader thread feeding one bounded {@link ArrayBlockingQueue} per destination,
 * each drained by a writer thread of that destination; {@code --transfers} lanes run side by side, each taking the
 * next pending file when it is done with one, so several files are in flight (small files are bound by per-file
 * latency, not bandwidth). The {@link CommitStage} on the calling thread renames each file into place once every
 * writer that needs it has it complete, and hands the result to the {@link CommitSink}. Reads, writes and commits
 * overlap; a slow destination stalls a reader only when that reader's queue to it is full.
 */
public final class TransferPipeline {
    static final int SMALL_FILE_BYTES = 64 * 1024;

    /**
     * With {@code --fsync} (always on with two destinations) every file is flushed before its rename. Flushing as
     * it is written, every this many bytes, spreads the disk writes over the copy instead of one long wait at the
     * end of each large file, and keeps fewer dirty pages for the kernel to manage. Measured on local disk, a
     * two-destination copy of 4 x 256 MiB: median 2.88 s without, 2.53 s with (kernel CPU 3.2 s -> 2.1 s);
     * 32 MiB did no better (docs/BENCHMARKS.md).
     */
    static final long FSYNC_FLUSH_EVERY_BYTES = 128L << 20;

    private final PipelineSettings settings;
    private final TransferStats stats;
    private final Roots roots;

    public TransferPipeline(PipelineSettings settings, TransferStats stats, Roots roots) {
        if (roots.destinationCount() != settings.destinations()) {
            throw new IllegalArgumentException(settings.destinations() + " destinations in the settings, "
                    + roots.destinationCount() + " trees");
        }
        this.settings = settings;
        this.stats = stats;
        this.roots = roots;
    }

    /** Copies every row; returns when every thread has ended. Worker failures are rethrown here. */
    public void run(Iterator<FileRow> rows, CommitSink sink) throws InterruptedException {
        int n = settings.destinations();
        int lanes = settings.transfers();
        BlockingQueue<PipelineEvent> events = new LinkedBlockingQueue<>(4096);
        List<List<BlockingQueue<Block>>> laneQueues = new ArrayList<>();
        for (int lane = 0; lane < lanes; lane++) {
            List<BlockingQueue<Block>> queues = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                queues.add(new ArrayBlockingQueue<>(settings.queueCapacity()));
            }
            laneQueues.add(queues);
        }
        stats.queueDepths(queueDepthPerDestination(laneQueues, n));
        // Under a bandwidth limit a block is one paced read: whole 5 MiB blocks would reach the destination in
        // quarter-second steps at 20 MB/s, and a one-second window could carry 25% more than the limit.
        int blockBytes = settings.limiter().chunkBytes(settings.blockSizeBytes());
        // The pools bound the memory in flight, whatever the number of lanes: --queue-capacity blocks, plus one
        // being read and one being written per lane. Files up to 64 KiB take a small buffer instead, so a backlog
        // of small files does not pin a whole block per file.
        BufferPool blocks = new BufferPool(poolBuffers(settings.queueCapacity(), lanes), blockBytes);
        BufferPool smallBuffers = new BufferPool(poolBuffers(settings.queueCapacity(), lanes),
                Math.min(SMALL_FILE_BYTES, blockBytes));
        // --verify compares each temp file with the hash of what was read; a mapped file's hash is taken from what
        // its first writer wrote, which would make that comparison empty: verified runs read
        SourceAccess access = settings.verify() ? SourceAccess.READ : settings.sourceAccess();
        MappedBlocks mappedBlocks = access == SourceAccess.MAP
                ? new MappedBlocks(poolBuffers(settings.queueCapacity(), lanes)) : null;
        FileDispenser shared = new FileDispenser(rows);
        TempsInFlight tempsInFlight = new TempsInFlight(n);
        ExecutorService threads = Executors.newFixedThreadPool(lanes * (1 + n), namedThreads(n));
        List<BlockHasher> hashers = new ArrayList<>();
        try {
            List<Future<Long>> readers = new ArrayList<>();
            List<Future<Void>> writers = new ArrayList<>();
            boolean fsync = settings.fsync() || n > 1;
            long flushEveryBytes = flushInterval(fsync, settings.limiter().flushEveryBytes(lanes));
            for (int lane = 0; lane < lanes; lane++) {
                BlockHasher hasher = new BlockHasher();
                hashers.add(hasher);
                readers.add(threads.submit(new SourceReader(shared, laneQueues.get(lane), events, blocks,
                        smallBuffers, hasher, settings.algorithm(), settings.limiter(), stats, settings.clock(),
                        settings.stableFor(), blockBytes, settings.retry(), roots, access, mappedBlocks)));
                for (int i = 0; i < n; i++) {
                    writers.add(threads.submit(new DestinationWriter(i, roots.destination(i), laneQueues.get(lane).get(i),
                            events, stats, settings.algorithm(), settings.verify(), fsync, flushEveryBytes,
                            tempsInFlight)));
                }
            }
            CommitStage commit = new CommitStage(lanes * n, sink, roots, settings.algorithm(), settings.sidecar(),
                    settings.readySuffix(), shared, tempsInFlight);
            try {
                commit.drain(events);
            } catch (InterruptedException | RuntimeException e) {
                stopWorkers(threads);
                commit.abandon(events);
                throw e;
            }
            for (Future<Long> r : readers) {
                WorkerResults.await(r, "a transfer thread");
            }
            for (Future<Void> w : writers) {
                WorkerResults.await(w, "a transfer thread");
            }
        } finally {
            stopWorkers(threads);
            hashers.forEach(BlockHasher::close);
            stats.clearCurrentFile();
            stats.queueDepths(List.of());
        }
    }

    /** Threads named by role: readers first, then the writers of each lane (thread k of a pool of lanes x (1+n)). */
    private static java.util.concurrent.ThreadFactory namedThreads(int destinations) {
        AtomicInteger threadNo = new AtomicInteger();
        return r -> {
            int k = threadNo.getAndIncrement();
            int lane = k / (1 + destinations) + 1;
            int role = k % (1 + destinations);
            Thread t = new Thread(r, role == 0 ? "duplex-reader-" + lane : "duplex-writer-" + lane + "-" + role);
            t.setDaemon(true);
            return t;
        };
    }

    /** Blocks waiting for each destination, summed over the lanes: what the status line shows. */
    private static List<IntSupplier> queueDepthPerDestination(List<List<BlockingQueue<Block>>> laneQueues,
                                                             int destinations) {
        List<IntSupplier> depths = new ArrayList<>();
        for (int i = 0; i < destinations; i++) {
            int dest = i;
            depths.add(() -> laneQueues.stream().mapToInt(q -> q.get(dest).size()).sum());
        }
        return depths;
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

    /** How often a writer flushes its file while writing: the bandwidth limit's interval, at most the fsync one. */
    static long flushInterval(boolean fsync, long limiterInterval) {
        if (!fsync) {
            return limiterInterval;
        }
        return limiterInterval > 0 ? Math.min(limiterInterval, FSYNC_FLUSH_EVERY_BYTES) : FSYNC_FLUSH_EVERY_BYTES;
    }

    /** Buffers in each pool: --queue-capacity blocks, plus one being read and one being written per lane. */
    private static int poolBuffers(int queueCapacity, int lanes) {
        return queueCapacity + 2 * lanes;
    }

    /**
     * The direct memory a pipeline with these options may allocate, so the command line can refuse options that
     * cannot fit before anything starts: both pools full, and with --verify a read buffer per writer.
     *
     * @param limiter the bandwidth limit, which cuts blocks to its read chunk
     */
    public static long directMemoryNeeded(BandwidthLimiter limiter, int blockSizeBytes, int queueCapacity,
                                          int transfers, int destinations, boolean verify) {
        int blockBytes = limiter.chunkBytes(blockSizeBytes);
        long pools = (long) poolBuffers(queueCapacity, transfers) * (blockBytes + Math.min(SMALL_FILE_BYTES, blockBytes));
        return pools + (verify ? (long) transfers * destinations * FileDigest.BUFFER_BYTES : 0);
    }
}
