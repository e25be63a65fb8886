package dev.duplex.transfer;

import dev.duplex.tree.SourceFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.IntConsumer;

/** Reads paced by a {@link BandwidthLimiter}: every byte paid for is read before the next payment. */
public final class PacedReads {
    private PacedReads() {
    }

    /**
     * Fills {@code buffer} up to its limit in {@code chunk}-sized payments; returns the bytes read (fewer only at
     * the end of the file). A read may return less than asked (a remote file gives at most one frame): the chunk is
     * read to its end before the next is paid for, or the file would move slower than the limit.
     */
    public static int fill(SourceFile file, ByteBuffer buffer, BandwidthLimiter limiter, int chunk, IntConsumer onRead)
            throws IOException {
        return fill(file, buffer, limiter, chunk, onRead, new Credit());
    }

    /**
     * Bytes already paid for: what a remote source sends ahead of the reads when a file is opened (its socket
     * buffer and the frames queued for it) is paid for at the open, so that burst counts against the limit; the
     * reads of those bytes then pay nothing.
     */
    static final class Credit {
        private long bytes;

        /** Pays for {@code prefetched} bytes now (nothing for a source that sends nothing ahead). */
        static Credit prepay(BandwidthLimiter limiter, long prefetched) {
            Credit c = new Credit();
            if (prefetched > 0) {
                limiter.acquire((int) Math.min(Integer.MAX_VALUE, prefetched));
                c.bytes = prefetched;
            }
            return c;
        }

        /** How much of {@code want} is paid already; that much is used up. */
        int use(int want) {
            int paid = (int) Math.min(want, bytes);
            bytes -= paid;
            return paid;
        }
    }

    /** As {@link #fill(SourceFile, ByteBuffer, BandwidthLimiter, int, IntConsumer)}, first using {@code credit}. */
    static int fill(SourceFile file, ByteBuffer buffer, BandwidthLimiter limiter, int chunk, IntConsumer onRead,
                    Credit credit) throws IOException {
        int total = 0;
        boolean end = false;
        while (buffer.hasRemaining() && !end) {
            int want = Math.min(chunk, buffer.remaining());
            int owed = want - credit.use(want);
            if (owed > 0) {
                limiter.acquire(owed);
            }
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
