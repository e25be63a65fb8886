package dev.duplex.transfer;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Block buffers, reused: the reader takes one per block, the writers give it back (the last of them to finish with
 * it). Buffers are direct (no copy on file I/O) and created on first need, up to the capacity; when all are in
 * use the reader waits, which is the pipeline's back-pressure. Thread-safe.
 */
final class BufferPool {
    private final BlockingQueue<ByteBuffer> free;
    private final int capacity;
    private final int bufferBytes;
    private final AtomicInteger created = new AtomicInteger();

    BufferPool(int capacity, int bufferBytes) {
        this.capacity = capacity;
        this.bufferBytes = bufferBytes;
        this.free = new ArrayBlockingQueue<>(capacity);
    }

    /** A cleared buffer; blocks while every buffer is in use. */
    ByteBuffer acquire() throws InterruptedException {
        ByteBuffer b = free.poll();
        if (b == null) {
            if (created.getAndUpdate(n -> n < capacity ? n + 1 : n) < capacity) {
                b = ByteBuffer.allocateDirect(bufferBytes);
            } else {
                b = free.take();
            }
        }
        b.clear();
        return b;
    }

    void release(ByteBuffer buffer) {
        if (!free.offer(buffer)) {
            throw new IllegalStateException("buffer pool over capacity: a buffer was released twice");
        }
    }

    int bufferBytes() {
        return bufferBytes;
    }

    int createdBuffers() {
        return created.get();
    }
}
