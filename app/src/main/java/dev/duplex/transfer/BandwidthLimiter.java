package dev.duplex.transfer;

import com.google.common.util.concurrent.RateLimiter;
import java.time.Duration;

/**
 * Paces reads from the source to {@code --bwlimit}. The reader asks for permission before each read and reads at
 * most {@link #chunkBytes} at a time, so no window of a second carries much more than the limit.
 */
public interface BandwidthLimiter {
    /** Blocks until {@code bytes} more may be read. Called from the reader thread only. */
    void acquire(int bytes);

    /** The largest read to make per {@link #acquire}. */
    int chunkBytes(int blockSizeBytes);

    /**
     * How much each of {@code writers} writers per destination may write before flushing it to the destination, so
     * that no more than a quarter second of data at the limit is held back by a write cache; 0 = never.
     */
    default long flushEveryBytes(int writers) {
        return 0;
    }

    static BandwidthLimiter unlimited() {
        return Unlimited.INSTANCE;
    }

    static BandwidthLimiter of(long bytesPerSecond) {
        return bytesPerSecond <= 0 ? unlimited() : new Guava(bytesPerSecond);
    }

    /** No limit: read whole blocks. */
    enum Unlimited implements BandwidthLimiter {
        INSTANCE;

        @Override
        public void acquire(int bytes) {}

        @Override
        public int chunkBytes(int blockSizeBytes) {
            return blockSizeBytes;
        }
    }

    /**
     * Guava's token bucket in its "warming up" form. The plain bursty form stores up to a second of unused permits
     * and would let the reader burst at twice the limit after any pause (a slow destination, a small file); the
     * warming-up form charges stored permits at least the stable rate, so the rate never exceeds the limit.
     * Reads are cut to 1/50 s of the limit (at least 4 KiB, at most 1 MiB), so the "first acquire is free"
     * rule of Guava lets through at most 20 ms of extra data.
     */
    final class Guava implements BandwidthLimiter {
        private static final int MIN_CHUNK = 4 * 1024;
        private static final int MAX_CHUNK = 1024 * 1024;

        private final RateLimiter limiter;
        private final int chunk;
        private final long bytesPerSecond;

        Guava(long bytesPerSecond) {
            this.limiter = RateLimiter.create(bytesPerSecond, Duration.ofMillis(100));
            this.chunk = (int) Math.max(MIN_CHUNK, Math.min(MAX_CHUNK, bytesPerSecond / 50));
            this.bytesPerSecond = bytesPerSecond;
        }

        @Override
        public long flushEveryBytes(int writers) {
            return Math.max(64 * 1024, bytesPerSecond / 4 / Math.max(1, writers));
        }

        @Override
        public void acquire(int bytes) {
            if (bytes > 0) {
                limiter.acquire(bytes);
            }
        }

        @Override
        public int chunkBytes(int blockSizeBytes) {
            return Math.min(chunk, blockSizeBytes);
        }
    }
}
