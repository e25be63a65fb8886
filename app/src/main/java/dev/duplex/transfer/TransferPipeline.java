package dev.duplex.transfer;

import dev.duplex.backlog.FileRow;
import dev.duplex.commit.TempName;
import dev.duplex.commit.TimestampApplier;
import dev.duplex.report.TransferStats;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The transfer phase: one reader thread feeding one bounded {@link ArrayBlockingQueue} per destination, one writer
 * thread per destination, and the commit stage on the calling thread, which renames each file into place once
 * every writer has it complete, and hands the result to the {@link CommitSink}. Reads, writes and commits of
 * consecutive files overlap.
 */
public final class TransferPipeline {
    private final PipelineSettings settings;
    private final TransferStats stats;
    private final SourceReader.SourceOpener opener;
    private final TimestampApplier timestamps = new TimestampApplier();

    public TransferPipeline(PipelineSettings settings, TransferStats stats) {
        this(settings, stats, SourceReader.SourceOpener.DEFAULT);
    }

    TransferPipeline(PipelineSettings settings, TransferStats stats, SourceReader.SourceOpener opener) {
        this.settings = settings;
        this.stats = stats;
        this.opener = opener;
    }

    /** Copies every row; returns when every thread has ended. Worker failures are rethrown here. */
    public void run(Iterator<FileRow> rows, CommitSink sink) throws InterruptedException {
        int n = settings.destinations();
        BlockingQueue<PipelineEvent> events = new LinkedBlockingQueue<>(4096);
        List<BlockingQueue<Block>> queues = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            queues.add(new ArrayBlockingQueue<>(settings.queueCapacity()));
        }
        BufferPool pool = new BufferPool(settings.queueCapacity() + 3, settings.blockSizeBytes());
        AtomicInteger threadNo = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(1 + n, r -> {
            int k = threadNo.getAndIncrement();
            Thread t = new Thread(r, k == 0 ? "duplex-reader" : "duplex-writer-" + k);
            t.setDaemon(true);
            return t;
        });
        try {
            Future<Long> reader = threads.submit(new SourceReader(rows, queues, events, pool, settings.algorithm(),
                    settings.limiter(), stats, settings.clock(), settings.stableFor(), settings.blockSizeBytes(),
                    opener));
            List<Future<Void>> writers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                writers.add(threads.submit(new DestinationWriter(i, queues.get(i), events, stats, timestamps,
                        settings.algorithm(), settings.verify(), settings.fsync())));
            }
            new CommitStage(n, sink).drain(events);
            await(reader);
            for (Future<Void> w : writers) {
                await(w);
            }
        } finally {
            threads.shutdownNow();
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

    /** Collects each file's results from all writers, then commits it everywhere or nowhere. Job thread only. */
    private static final class CommitStage {
        private final int writers;
        private final CommitSink sink;
        private final Map<FileTicket, List<PipelineEvent>> waiting = new HashMap<>();

        CommitStage(int writers, CommitSink sink) {
            this.writers = writers;
            this.sink = sink;
        }

        void drain(BlockingQueue<PipelineEvent> events) throws InterruptedException {
            int finished = 0;
            while (finished < writers) {
                PipelineEvent e = events.poll();
                if (e == null) {
                    sink.idle();
                    e = events.take();
                }
                if (e instanceof PipelineEvent.WriterFinished) {
                    finished++;
                } else if (e instanceof PipelineEvent.NotStarted ns) {
                    notStarted(ns);
                } else if (e instanceof PipelineEvent.Prepared p) {
                    collect(p.file(), e);
                } else if (e instanceof PipelineEvent.WriteFailed f) {
                    collect(f.file(), e);
                }
            }
            sink.idle();
        }

        private void notStarted(PipelineEvent.NotStarted ns) {
            if (ns.deferred()) {
                sink.deferred(ns.file(), ns.reason());
            } else {
                removeStaleTemps(ns.file());
                sink.failed(ns.file(), ns.reason());
            }
        }

        private void collect(FileTicket file, PipelineEvent result) {
            List<PipelineEvent> results = waiting.computeIfAbsent(file, f -> new ArrayList<>(writers));
            results.add(result);
            if (results.size() == writers) {
                waiting.remove(file);
                resolve(file, results);
            }
        }

        private void resolve(FileTicket file, List<PipelineEvent> results) {
            List<PipelineEvent.Prepared> prepared = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            for (PipelineEvent r : results) {
                if (r instanceof PipelineEvent.Prepared p) {
                    prepared.add(p);
                } else if (r instanceof PipelineEvent.WriteFailed f) {
                    failures.add(f.reason());
                }
            }
            if (!failures.isEmpty()) {
                prepared.forEach(p -> deleteQuietly(p.tempPath()));
                sink.failed(file, String.join("; ", failures.stream().distinct().toList()));
                return;
            }
            try {
                for (PipelineEvent.Prepared p : prepared) {
                    promote(p.tempPath(), file.destinationPath(p.destIndex()));
                }
            } catch (IOException e) {
                prepared.forEach(p -> deleteQuietly(p.tempPath()));
                sink.failed(file, "cannot rename into place: " + SourceReader.describe(e));
                return;
            }
            sink.synced(file, prepared.get(0).hash());
        }

        private static void promote(Path temp, Path finalPath) throws IOException {
            try {
                Files.move(temp, finalPath, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, finalPath, StandardCopyOption.REPLACE_EXISTING);
            }
        }

        /** A file that failed before the reader opened it may have a temp from an interrupted run. */
        private void removeStaleTemps(FileTicket file) {
            for (int i = 0; i < writers; i++) {
                deleteQuietly(TempName.forFinal(file.destinationPath(i)));
            }
        }

        private static void deleteQuietly(Path p) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // swept by the next scan
            }
        }
    }
}
