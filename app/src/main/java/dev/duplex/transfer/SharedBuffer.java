package dev.duplex.transfer;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One block's bytes, shared read-only by every writer (and the hasher); freed when the last holder releases it:
 * a pooled buffer goes back to its pool, a mapped block ({@link MappedBlocks}) is unmapped.
 */
final class SharedBuffer {
    private final ByteBuffer data;
    private final Runnable free;
    private final boolean mapped;
    private final AtomicInteger holders;

    private SharedBuffer(ByteBuffer data, Runnable free, boolean mapped, int holders) {
        this.data = data;
        this.free = free;
        this.mapped = mapped;
        this.holders = new AtomicInteger(holders);
    }

    SharedBuffer(ByteBuffer data, BufferPool pool, int holders) {
        this(data, () -> pool.release(data), false, holders);
    }

    static SharedBuffer mapped(ByteBuffer map, Runnable unmap, int holders) {
        return new SharedBuffer(map, unmap, true, holders);
    }

    /** An independent view (own position and limit) of the bytes; do not write to it. */
    ByteBuffer view() {
        return data.duplicate();
    }

    int length() {
        return data.remaining();
    }

    /** A map of the source file: its bytes are the file's current ones, and vanish if the file is truncated. */
    boolean isMapped() {
        return mapped;
    }

    void release() {
        int left = holders.decrementAndGet();
        if (left == 0) {
            free.run();
        } else if (left < 0) {
            throw new IllegalStateException("block buffer released more times than it has holders");
        }
    }
}
