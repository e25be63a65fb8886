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
    private final Confinement confinement;
    private final PathCheck check;
    private FileChannel channel;

    /** Refuses a path that cannot be used (a symlinked directory on the way to it); returns it otherwise. */
    @FunctionalInterface
    interface PathCheck {
        Path checked(Path p) throws IOException;
    }

    LocalTempFile(RelPath finalPath, Path temp, FileChannel channel, TimestampApplier timestamps,
                  Confinement confinement, PathCheck check) {
        this.finalPath = finalPath;
        this.temp = temp;
        this.channel = channel;
        this.timestamps = timestamps;
        this.confinement = confinement;
        this.check = check;
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
            // by its path again, which is checked as every path is (a daemon's client might have swapped a
            // directory on the way); the file itself is never followed if it became a symlink
            confinement.resolving(() -> {
                Path p = check.checked(temp);
                if (spec.reread()) {
                    String reread = FileDigest.hash(p, spec.algorithm());
                    String expected = spec.hash().orElse("");
                    if (!reread.equals(expected)) {
                        throw new IOException("verification failed: temp file " + p + " hashes to " + reread
                                + " but " + expected + " was read from the source");
                    }
                }
                // Last, after every read of the temp file: setting the times changes its ctime, and under relatime
                // a read after that would move the atime just applied to the time of the copy.
                timestamps.apply(p, spec.source());
                return null;
            });
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
