package dev.duplex.transfer;

import dev.duplex.digest.HashAlgorithm;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Hashes the blocks of a large file on a thread of its own while the reader reads the next block and the writers
 * write, so that on a machine with few cores reading, hashing and writing overlap instead of the reader paying for
 * read and hash in series. Blocks are hashed in the order they are given (one thread). The reader hands each block
 * over holding one reference of its {@link SharedBuffer}, which the hasher releases when done. Reader thread only.
 */
final class BlockHasher implements AutoCloseable {
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "duplex-hasher");
        t.setDaemon(true);
        return t;
    });
    private Future<?> last;

    /** Queues the block's bytes for {@code hasher}; the hasher releases {@code block} afterwards. */
    void update(HashAlgorithm.FileHasher hasher, SharedBuffer block) {
        last = thread.submit(() -> {
            try {
                hasher.update(block.view());
            } finally {
                block.release();
            }
        });
    }

    /** Waits until every queued block is hashed; then {@code hasher} holds the whole file. */
    void await() throws InterruptedException {
        if (last == null) {
            return;
        }
        try {
            last.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("hashing failed: " + e.getCause(), e.getCause());
        } finally {
            last = null;
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
