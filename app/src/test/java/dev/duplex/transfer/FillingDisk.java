package dev.duplex.transfer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A destination disk of {@code capacityBytes} (the files directly under its root, temp files included), on which
 * one large file's temp fills the disk while other files are being written: the large file's writer, once the disk
 * is full, holds its ENOSPC until another file's write has met the full disk; the other files' first writes wait
 * until the disk has been full. So the moment the issue describes (small files refused while the large temp takes
 * the space) happens on every run, by hand-offs, not by timing.
 */
final class FillingDisk {
    private final Path root;
    private final long capacityBytes;
    private final String largeFile;
    private final CountDownLatch full = new CountDownLatch(1);
    private final CountDownLatch othersRefused = new CountDownLatch(1);

    FillingDisk(Path root, long capacityBytes, String largeFile) {
        this.root = root;
        this.capacityBytes = capacityBytes;
        this.largeFile = largeFile;
    }

    /** Wraps the channel a writer opens for {@code temp} on this disk. */
    FileChannel channel(FileChannel real, Path temp) {
        boolean large = temp.getFileName().toString().startsWith("." + largeFile + ".");
        return new DelegatingFileChannel(real) {
            private boolean waited;

            @Override
            public int write(ByteBuffer src) throws IOException {
                if (!large && !waited) {
                    waited = true;
                    await(full);
                }
                long free;
                synchronized (FillingDisk.this) {
                    free = capacityBytes - used();
                    if (free > 0) {
                        ByteBuffer part = src.duplicate();
                        part.limit(part.position() + (int) Math.min(src.remaining(), free));
                        int n = delegate.write(part);
                        src.position(src.position() + n);
                        return n;
                    }
                }
                if (large) {
                    full.countDown();
                    await(othersRefused);
                } else {
                    othersRefused.countDown();
                }
                throw new IOException("No space left on device");
            }
        };
    }

    private static void await(CountDownLatch latch) throws IOException {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IOException("test disk: a hand-off did not come within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private long used() throws IOException {
        try (Stream<Path> s = Files.list(root)) {
            return s.mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (java.nio.file.NoSuchFileException gone) {
                    return 0;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
