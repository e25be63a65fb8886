package dev.duplex.tree;

import dev.duplex.WorkerResults;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Reads the metadata of one directory's entries ahead of the walker, on a shared pool of scan threads, and hands
 * the results back in the walker's (name) order. A walk that stats one entry at a time waits out every stat's
 * latency in series: a disk seek for each inode on a cold local disk, a network round trip on a share. Here up to
 * {@code window} chunks of entries are in flight at once, so those latencies overlap; the walker still emits in
 * sorted order, so the merge with the other tree is unchanged. Errors are handed back, not reported, so that
 * warnings come from the walker's thread in walk order. Memory stays bounded: at most {@code window} chunks of a
 * directory are read ahead of the entry the walker is at. Used by one walker thread.
 */
final class StatAhead implements AutoCloseable {
    /** How one entry's metadata is read (the full or the basic stat). */
    interface StatFunction {
        MetadataReader.Stat stat(Path path) throws IOException;
    }

    /** One entry's metadata, or why it could not be read. */
    record Result(MetadataReader.Stat stat, IOException error) {}

    private final Path dir;
    private final List<String> names;
    private final StatFunction statFunction;
    private final ExecutorService pool;
    private final int chunkSize;
    private final int window;
    private final List<Future<Result[]>> chunks = new ArrayList<>();
    private Result[] current;
    private int currentChunk = -1;

    /**
     * @param pool the scan threads, or null to stat each entry on the calling thread when asked for it
     * @param threads how many threads the pool has: sets the chunk size and how far ahead to read
     */
    StatAhead(Path dir, List<String> names, StatFunction statFunction, ExecutorService pool, int threads) {
        this.dir = dir;
        this.names = names;
        this.statFunction = statFunction;
        this.pool = pool;
        this.window = 2 * Math.max(1, threads);
        // enough chunks for every thread even in a small directory; at most 64 entries per hand-off
        this.chunkSize = Math.max(1, Math.min(64, (names.size() + window - 1) / window));
    }

    /** The metadata of {@code names.get(index)}; indexes are asked for in increasing order. */
    Result get(int index) throws InterruptedException {
        if (pool == null) {
            return statOne(index);
        }
        int chunk = index / chunkSize;
        if (chunk != currentChunk) {
            submitUpTo(chunk + window);
            current = WorkerResults.await(chunks.get(chunk), "a scan thread");
            chunks.set(chunk, null);
            currentChunk = chunk;
        }
        return current[index - chunk * chunkSize];
    }

    private void submitUpTo(int lastChunk) {
        int total = (names.size() + chunkSize - 1) / chunkSize;
        for (int c = chunks.size(); c < Math.min(lastChunk + 1, total); c++) {
            int from = c * chunkSize;
            int to = Math.min(names.size(), from + chunkSize);
            chunks.add(pool.submit(() -> statRange(from, to)));
        }
    }

    private Result[] statRange(int from, int to) {
        Result[] out = new Result[to - from];
        for (int i = from; i < to; i++) {
            if (Thread.currentThread().isInterrupted()) {
                throw new CancellationException("scan cancelled");
            }
            out[i - from] = statOne(i);
        }
        return out;
    }

    private Result statOne(int index) {
        try {
            return new Result(statFunction.stat(dir.resolve(names.get(index))), null);
        } catch (IOException e) {
            return new Result(null, e);
        }
    }

    /** Stops what is still in flight (the walk was cancelled or failed). */
    @Override
    public void close() {
        for (Future<Result[]> f : chunks) {
            if (f != null) {
                f.cancel(true);
            }
        }
    }
}
