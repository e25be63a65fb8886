package dev.duplex.transfer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** A writable channel over a real one that fails with {@code error} once {@code failAfterBytes} have been written. */
class FailingWriteChannel extends DelegatingFileChannel {
    private final long failAfterBytes;
    private final String error;
    private long written;

    FailingWriteChannel(FileChannel delegate, long failAfterBytes, String error) {
        super(delegate);
        this.failAfterBytes = failAfterBytes;
        this.error = error;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        if (written >= failAfterBytes) {
            throw new IOException(error);
        }
        int room = (int) Math.min(src.remaining(), failAfterBytes - written);
        ByteBuffer part = src.duplicate();
        part.limit(part.position() + room);
        int n = delegate.write(part);
        src.position(src.position() + n);
        written += n;
        return n;
    }
}
