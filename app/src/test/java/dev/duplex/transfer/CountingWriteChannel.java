package dev.duplex.transfer;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicInteger;

/** A write channel over a real one that counts the flushes ({@link #force}) asked of it. */
final class CountingWriteChannel extends DelegatingFileChannel {
    private final AtomicInteger forces;

    CountingWriteChannel(FileChannel delegate, AtomicInteger forces) {
        super(delegate);
        this.forces = forces;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        forces.incrementAndGet();
        delegate.force(metaData);
    }
}
