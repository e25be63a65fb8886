package dev.duplex.job;

import dev.duplex.backlog.BacklogView;
import dev.duplex.backlog.SyncedFile;
import dev.duplex.report.CheckListener;
import dev.duplex.report.CheckSummary;
import dev.duplex.transfer.BandwidthLimiter;
import dev.duplex.transfer.HashAlgorithm;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * {@code duplex check}: re-reads every copy the db records as synced, hashes it with the algorithm recorded for it
 * and compares with the recorded hash (and, with --against-source, the source file too). Holds the job lock, so no
 * sync changes the files under it; reads the db read-only. Paced by --bwlimit like a sync. Job thread only.
 */
public final class CheckJob {
    private final CheckOptions options;
    private final CheckListener listener;
    private final BandwidthLimiter limiter;
    private final ByteBuffer buffer;
    private long copies;
    private long bytesRead;
    private long mismatched;
    private long missing;
    private long unreadable;

    public CheckJob(CheckOptions options, CheckListener listener) {
        this.options = options;
        this.listener = listener;
        this.limiter = BandwidthLimiter.of(options.bandwidthBytesPerSecond());
        this.buffer = ByteBuffer.allocate(options.blockSizeBytes());
    }

    public CheckSummary run() throws InterruptedException {
        try (BacklogView view = BacklogView.open(options.dbPath());
             JobLock lock = JobLock.acquire(options.dbPath())) {
            if (!options.destinations().isEmpty()) {
                view.jobMismatch(options.source(), options.destinations()).ifPresent(other -> {
                    throw JobFailure.usage("the db " + options.dbPath() + " belongs to another job (" + other + ")");
                });
                options.destinations().forEach(CheckJob::requireRoot);
            }
            long[] files = {0};
            InterruptedException[] stop = {null};
            view.forEachSynced(file -> {
                if (stop[0] == null) {
                    files[0]++;
                    stop[0] = check(file);
                }
            });
            if (stop[0] != null) {
                throw stop[0];
            }
            long notSynced = view.counts().pending().files() + view.counts().preparedFiles();
            return new CheckSummary(files[0], copies, bytesRead, mismatched, missing, unreadable, notSynced);
        } catch (IOException e) {
            throw JobFailure.fatal("cannot release the job lock of " + options.dbPath() + ": " + e.getMessage(), e);
        }
    }

    /** Checks one file's copies (and source); returns the interrupt that stops the check, if one came. */
    private InterruptedException check(SyncedFile file) {
        Optional<HashAlgorithm> algo = HashAlgorithm.fromCliName(file.algo());
        try {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (algo.isEmpty()) {
                unreadable++;
                listener.unreadable(file.sourcePath().toString(), "unknown algorithm '" + file.algo() + "' in the db");
                return null;
            }
            for (Path copy : file.destPaths()) {
                copies++;
                compare(copy, file, algo.get(), true);
            }
            if (options.againstSource()) {
                compare(file.sourcePath(), file, algo.get(), false);
            }
            return null;
        } catch (InterruptedException e) {
            return e;
        }
    }

    private void compare(Path path, SyncedFile file, HashAlgorithm algo, boolean isCopy) throws InterruptedException {
        String label = isCopy ? path.toString() : "source " + path;
        try {
            long size = Files.size(path);
            if (size != file.sizeBytes()) {
                mismatched++;
                listener.mismatched(label, "size " + size + ", the db recorded " + file.sizeBytes());
                return;
            }
            String actual = hash(path, algo);
            if (actual.equals(file.hash())) {
                listener.matched(label);
            } else {
                mismatched++;
                listener.mismatched(label, algo.cliName() + " " + actual + ", the db recorded " + file.hash());
            }
        } catch (NoSuchFileException e) {
            if (isCopy) {
                missing++;
                listener.missing(label);
            } else {
                mismatched++;
                listener.mismatched(label, "no longer in the source");
            }
        } catch (IOException e) {
            unreadable++;
            listener.unreadable(label, SyncJob.describe(e));
        }
    }

    private String hash(Path path, HashAlgorithm algo) throws IOException, InterruptedException {
        HashAlgorithm.FileHasher hasher = algo.newHasher();
        int chunk = limiter.chunkBytes(buffer.capacity());
        try (FileChannel in = FileChannel.open(path, StandardOpenOption.READ)) {
            while (true) {
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                limiter.acquire(chunk);
                buffer.clear().limit(chunk);
                int n = in.read(buffer);
                if (n < 0) {
                    return hasher.finishHex();
                }
                bytesRead += n;
                buffer.flip();
                hasher.update(buffer);
            }
        }
    }

    private static void requireRoot(Path root) {
        if (!Files.isDirectory(root)) {
            throw JobFailure.fatal("destination root " + root + " does not exist (is the share mounted?)");
        }
    }
}
