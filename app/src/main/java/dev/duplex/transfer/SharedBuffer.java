package dev.duplex.transfer;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One block's bytes, shared read-only by every writer; returned to the pool when the last writer releases it.
 */
final class SharedBuffer {
    private final ByteBuffer data;
    private final BufferPool pool;
    private final AtomicInteger holders;

    SharedBuffer(ByteBuffer data, BufferPool pool, int holders) {
        this.data = data;
        this.pool = pool;
        this.holders = new AtomicInteger(holders);
    }

    /** An independent view (own position and limit) of the bytes; do not write to it. */
    ByteBuffer view() {
        return data.duplicate();
    }

    int length() {
        return data.remaining();
    }

    void release() {
        int left = holders.decrementAndGet();
        if (left == 0) {
            pool.release(data);
        } else if (left < 0) {
            throw new IllegalStateException("block buffer released more times than it has holders");
        }
    }
}
