package dev.duplex.tree;

import dev.duplex.digest.FileDigest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A temp file of a {@link LocalTree}, written through a {@link FileChannel}; finished and stamped at once. */
final class LocalTempFile implements TempFile {
    private final RelPath finalPath;
    private final Path temp;
    private final TimestampApplier timestamps;
    private FileChannel channel;

    LocalTempFile(RelPath finalPath, Path temp, FileChannel channel, TimestampApplier timestamps) {
        this.finalPath = finalPath;
        this.temp = temp;
        this.channel = channel;
        this.timestamps = timestamps;
    }

    @Override
    public RelPath finalPath() {
        return finalPath;
    }

    @Override
    public void write(ByteBuffer data) throws IOException {
        while (data.hasRemaining()) {
            channel.write(data);
        }
    }

    @Override
    public void flush() throws IOException {
        channel.force(false);
    }

    @Override
    public Optional<Path> localPath() {
        return Optional.of(temp);
    }

    @Override
    public CompletableFuture<Void> finish(Finish spec) {
        try {
            if (spec.fsync()) {
                channel.force(true);
            }
            channel.close();
            channel = null;
            if (spec.reread()) {
                String reread = FileDigest.hash(temp, spec.algorithm());
                String expected = spec.hash().orElse("");
                if (!reread.equals(expected)) {
                    throw new IOException("verification failed: temp file " + temp + " hashes to " + reread
                            + " but " + expected + " was read from the source");
                }
            }
            // Last, after every read of the temp file: setting the times changes its ctime, and under relatime a
            // read after that would move the atime just applied to the time of the copy.
            timestamps.apply(temp, spec.source());
            return CompletableFuture.completedFuture(null);
        } catch (IOException | RuntimeException e) {
            abandon();
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void abandon() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the file is deleted next; a close error changes nothing
            }
            channel = null;
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // a leftover temp file is swept by the next scan
        }
    }
}
