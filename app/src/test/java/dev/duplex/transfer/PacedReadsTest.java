package dev.duplex.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.tree.FileMetadata;
import dev.duplex.tree.SourceFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PacedReadsTest {
    /** A file that gives at most {@code perRead} bytes a read, as a daemon's frames do. */
    static SourceFile shortReads(int size, int perRead) {
        return new SourceFile() {
            int left = size;

            @Override
            public FileMetadata metadata() {
                return new FileMetadata(size, Instant.EPOCH, Instant.EPOCH, Optional.empty(), Optional.empty(), "");
            }

            @Override
            public int read(ByteBuffer dst) {
                if (left == 0) {
                    return -1;
                }
                int n = Math.min(Math.min(perRead, left), dst.remaining());
                dst.position(dst.position() + n);
                left -= n;
                return n;
            }

            @Override
            public Optional<FileMetadata> metadataNow() {
                return Optional.of(metadata());
            }

            @Override
            public Optional<FileChannel> channel() {
                return Optional.empty();
            }

            @Override
            public void close() {
            }
        };
    }

    /** Counts what was paid for. */
    static final class Counting implements BandwidthLimiter {
        long paid;

        @Override
        public void acquire(int bytes) {
            paid += bytes;
        }

        @Override
        public int chunkBytes(int blockSizeBytes) {
            return 125_000;
        }
    }

    @Test
    void everyBytePaidForIsReadWhenReadsComeShort() throws Exception {
        Counting limiter = new Counting();
        ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
        int read = PacedReads.fill(shortReads(3_000_000, 97_656), buffer, limiter, 125_000, n -> { });
        assertThat(read).isEqualTo(1 << 20);
        // before the fix each 125,000-byte payment read one short frame: 0.6x the limit on a pull
        assertThat(limiter.paid).isEqualTo(1 << 20);
    }

    @Test
    void theEndOfTheFileEndsTheFill() throws Exception {
        Counting limiter = new Counting();
        ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
        assertThat(PacedReads.fill(shortReads(300_000, 1000), buffer, limiter, 125_000, n -> { })).isEqualTo(300_000);
        assertThat(limiter.paid).isEqualTo(375_000);   // the last payment covers the end it found
    }

    @Test
    void bytesSentAheadArePaidAtTheOpenAndNotAgain() throws Exception {
        Counting limiter = new Counting();
        PacedReads.Credit credit = PacedReads.Credit.prepay(limiter, 400_000);
        assertThat(limiter.paid).isEqualTo(400_000);
        ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
        PacedReads.fill(shortReads(1 << 20, 97_656), buffer, limiter, 125_000, n -> { }, credit);
        assertThat(limiter.paid).as("the whole file, once").isEqualTo(1 << 20);
    }
}
