package dev.duplex.job;

import dev.duplex.backlog.BacklogView;
import dev.duplex.backlog.SyncedFile;
import dev.duplex.report.CheckListener;
import dev.duplex.report.CheckSummary;
import dev.duplex.transfer.BandwidthLimiter;
import dev.duplex.digest.HashAlgorithm;
import java.io.IOException;
import java.nio.ByteBuffer;
import dev.duplex.backlog.PathNames;
import dev.duplex.tree.StatThreads;
import dev.duplex.tree.Roots;
import dev.duplex.tree.SourceFile;
import dev.duplex.tree.Tree;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
             JobLock lock = JobLock.acquire(options.dbPath());
             Roots roots = roots(view)) {
            if (!options.destinations().isEmpty()) {
                view.jobMismatch(options.source().orElseThrow().name(), options.destinations().stream()
                        .map(Location::name).toList()).ifPresent(other -> {
                    throw JobFailure.usage("the db " + options.dbPath() + " belongs to another job (" + other + ")");
                });
                roots.destinations().forEach(CheckJob::requireRoot);
            }
            long[] files = {0};
            InterruptedException[] stop = {null};
            view.forEachSynced(PathNames.of(roots), file -> {
                if (stop[0] == null) {
                    files[0]++;
                    stop[0] = check(roots, file);
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

    /** The job's trees: the roots given on the command line, or those the db was bound to. */
    private Roots roots(BacklogView view) {
        List<Location> all = new ArrayList<>();
        if (!options.destinations().isEmpty()) {
            all.add(options.source().orElseThrow());
            all.addAll(options.destinations());
        } else {
            view.recordedRoots().orElseThrow(() -> JobFailure.usage("the db " + options.dbPath()
                    + " does not record its job's roots; give SOURCE and DEST")).forEach(r -> all.add(
                            Location.parse(r)));
        }
        return JobTrees.open(all.get(0), all.subList(1, all.size()), options.remote(), HashAlgorithm.SHA256,
                StatThreads.none(), false);
    }

    /** Checks one file's copies (and source); returns the interrupt that stops the check, if one came. */
    private InterruptedException check(Roots roots, SyncedFile file) {
        Optional<HashAlgorithm> algo = HashAlgorithm.fromCliName(file.algo());
        try {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (algo.isEmpty()) {
                unreadable++;
                listener.unreadable(roots.source().nameOf(file.path()), "unknown algorithm '" + file.algo()
                        + "' in the db");
                return null;
            }
            for (Tree copy : roots.destinations()) {
                copies++;
                compare(copy, file, algo.get(), true);
            }
            if (options.againstSource()) {
                compare(roots.source(), file, algo.get(), false);
            }
            return null;
        } catch (InterruptedException e) {
            return e;
        }
    }

    private void compare(Tree tree, SyncedFile file, HashAlgorithm algo, boolean isCopy) throws InterruptedException {
        String label = (isCopy ? "" : "source ") + tree.nameOf(file.path());
        if (tree.localPath(file.path()).isEmpty()) {
            compareRemote(tree, file, algo, isCopy, label);
            return;
        }
        try (SourceFile in = tree.openRead(file.path(), Tree.Detail.BASIC)) {
            long size = in.metadata().sizeBytes();
            if (size != file.sizeBytes()) {
                mismatched++;
                listener.mismatched(label, "size " + size + ", the db recorded " + file.sizeBytes());
                return;
            }
            String actual = hash(in, algo);
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

    /** A copy on a daemon is hashed there: only the hash crosses the network. */
    private void compareRemote(Tree tree, SyncedFile file, HashAlgorithm algo, boolean isCopy, String label)
            throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        try {
            var entry = tree.stat(file.path(), Tree.Detail.BASIC)
                    .filter(e -> e.kind() == dev.duplex.tree.EntryKind.FILE);
            if (entry.isEmpty()) {
                throw new NoSuchFileException(label);
            }
            long size = entry.get().metadata().sizeBytes();
            if (size != file.sizeBytes()) {
                mismatched++;
                listener.mismatched(label, "size " + size + ", the db recorded " + file.sizeBytes());
                return;
            }
            String actual = tree.hash(file.path(), algo);
            bytesRead += size;
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

    private String hash(SourceFile in, HashAlgorithm algo) throws IOException, InterruptedException {
        HashAlgorithm.FileHasher hasher = algo.newHasher();
        int chunk = limiter.chunkBytes(buffer.capacity());
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

    private static void requireRoot(Tree root) {
        try {
            if (root.stat(dev.duplex.tree.RelPath.ROOT, Tree.Detail.BASIC)
                    .filter(e -> e.kind() == dev.duplex.tree.EntryKind.DIRECTORY).isEmpty()) {
                throw JobFailure.fatal("destination root " + root.root() + " does not exist (is the share mounted?)");
            }
        } catch (IOException e) {
            throw JobFailure.fatal("cannot read destination root " + root.root() + ": " + SyncJob.describe(e), e);
        }
    }
}
