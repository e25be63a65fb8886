package dev.duplex.transfer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** A channel over a real one whose reads fail with an I/O error once {@code failAfterBytes} have been read. */
class FailingChannel extends DelegatingFileChannel {
    private final long failAfterBytes;
    private long read;

    FailingChannel(FileChannel delegate, long failAfterBytes) {
        super(delegate);
        this.failAfterBytes = failAfterBytes;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (read >= failAfterBytes) {
            throw new IOException("Input/output error (injected)");
        }
        int n = delegate.read(dst);
        read += Math.max(n, 0);
        return n;
    }
}
