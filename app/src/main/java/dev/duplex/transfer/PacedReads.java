package dev.duplex.transfer;

import dev.duplex.tree.SourceFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.IntConsumer;

/** Reads paced by a {@link BandwidthLimiter}: every byte paid for is read before the next payment. */
final class PacedReads {
    private PacedReads() {
    }

    /**
     * Fills {@code buffer} up to its limit in {@code chunk}-sized payments; returns the bytes read (fewer only at
     * the end of the file). A read may return less than asked (a remote file gives at most one frame): the chunk is
     * read to its end before the next is paid for, or the file would move slower than the limit.
     */
    static int fill(SourceFile file, ByteBuffer buffer, BandwidthLimiter limiter, int chunk, IntConsumer onRead)
            throws IOException {
        int total = 0;
        boolean end = false;
        while (buffer.hasRemaining() && !end) {
            int want = Math.min(chunk, buffer.remaining());
            limiter.acquire(want);
            int limit = buffer.limit();
            buffer.limit(buffer.position() + want);
            try {
                while (buffer.hasRemaining()) {
                    int n = file.read(buffer);
                    if (n < 0) {
                        end = true;
                        break;
                    }
                    total += n;
                    onRead.accept(n);
                }
            } finally {
                buffer.limit(limit);
            }
        }
        return total;
    }
}
