package dev.duplex.bisync;

import dev.duplex.digest.HashAlgorithm;
import dev.duplex.transfer.BandwidthLimiter;
import dev.duplex.transfer.PacedReads;
import dev.duplex.tree.Entry;
import dev.duplex.tree.FileMetadata;
import dev.duplex.tree.RelPath;
import dev.duplex.tree.SourceFile;
import dev.duplex.tree.TempFile;
import dev.duplex.tree.Tree;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/**
 * Copies one entry from a tree to another (or within one) through the receiving tree's temp name: hashed while
 * read, refused when the source is not the version the plan saw or changes while it is read, committed by rename.
 */
public final class Copier {
    private static final int BUFFER = 1 << 20;

    private final HashAlgorithm algorithm;
    private final BandwidthLimiter limiter;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);

    public Copier(HashAlgorithm algorithm, BandwidthLimiter limiter) {
        this.algorithm = algorithm;
        this.limiter = limiter;
    }

    /** Something to do between the temp being complete and its rename (put the replaced version aside). */
    interface BeforeCommit {
        void run() throws IOException;
    }

    /**
     * Copies {@code version} of {@code path} in {@code from} to {@code toPath} in {@code to}.
     *
     * @return the version written, with its hash ({@code algo:hex}) for a file
     * @throws SourceChangedException when the source is not {@code version} (any more)
     */
    Version copy(Tree from, RelPath path, Version version, Tree to, RelPath toPath, BeforeCommit beforeCommit)
            throws IOException, InterruptedException {
        switch (version.kind()) {
            case DIRECTORY -> {
                beforeCommit.run();
                to.makeDirectories(toPath);
                return version;
            }
            case SYMLINK -> {
                Optional<Entry> now = from.stat(path, Tree.Detail.BASIC);
                Optional<Version> seen = now.flatMap(Versions::of);
                if (seen.isEmpty() || !seen.get().unchangedSince(version)) {
                    throw new SourceChangedException(from.nameOf(path));
                }
                to.createLinkTemp(toPath, version.linkTarget().orElseThrow(), version.modified());
                return commit(to, toPath, beforeCommit, version);
            }
            default -> {
                return copyFile(from, path, version, to, toPath, beforeCommit);
            }
        }
    }

    private Version copyFile(Tree from, RelPath path, Version version, Tree to, RelPath toPath,
                             BeforeCommit beforeCommit) throws IOException, InterruptedException {
        try (SourceFile in = from.openRead(path, Tree.Detail.FULL)) {
            FileMetadata opened = in.metadata();
            if (opened.sizeBytes() != version.size() || !opened.modified().equals(version.modified())) {
                throw new SourceChangedException(from.nameOf(path));
            }
            TempFile temp = to.createTemp(toPath);
            boolean done = false;
            try {
                HashAlgorithm.FileHasher hasher = algorithm.newHasher();
                int chunk = limiter.chunkBytes(BUFFER);
                boolean end = false;
                while (!end) {
                    buffer.clear();
                    end = PacedReads.fill(in, buffer, limiter, chunk, n -> { }) < BUFFER;   // short: end of file
                    buffer.flip();
                    if (buffer.hasRemaining()) {
                        hasher.update(buffer.duplicate());
                        temp.write(buffer);
                    }
                }
                String hex = hasher.finishHex();
                Optional<FileMetadata> after = in.metadataNow();
                if (after.isEmpty() || !after.get().sameVersionAs(opened)) {
                    throw new SourceChangedException(from.nameOf(path));
                }
                await(temp.finish(new TempFile.Finish(opened, false, false, algorithm, Optional.of(hex))));
                Version written = commit(to, toPath, beforeCommit, version.withHash(algorithm.cliName() + ":" + hex));
                done = true;
                return written;
            } finally {
                if (!done) {
                    temp.abandon();
                    to.abandon(toPath);
                }
            }
        }
    }

    private static Version commit(Tree to, RelPath toPath, BeforeCommit beforeCommit, Version version)
            throws IOException, InterruptedException {
        boolean committed = false;
        try {
            beforeCommit.run();
            await(to.commit(toPath));
            committed = true;
            return version;
        } finally {
            if (!committed) {
                to.abandon(toPath);
            }
        }
    }

    private static void await(java.util.concurrent.CompletableFuture<Void> f) throws IOException,
            InterruptedException {
        try {
            f.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(String.valueOf(cause.getMessage()), cause);
        }
    }

    /** The source is not the version the plan was made from: it is left for the next run. */
    static final class SourceChangedException extends IOException {
        SourceChangedException(String name) {
            super(name + " changed while it was copied; left for the next run");
        }
    }
}
