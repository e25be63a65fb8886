package dev.duplex.job;

import dev.duplex.backlog.JobSettings;
import dev.duplex.tree.RootFileSystem;
import dev.duplex.report.TransferListener;
import java.io.IOException;
import dev.duplex.tree.Tree;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The mount guard: the job records the file system each root is on (device, type, mount point) and a later run
 * that finds a root on another one stops before it changes anything. A share that is not mounted leaves its mount
 * point as a plain directory of the local disk: synced as SOURCE it would look empty, and as DEST it would fill
 * the local disk. {@code --allow-fs-change} accepts the change and records the new file system.
 */
final class MountGuard {
    /** Reads the file system a tree is on; a seam for tests. */
    interface Probe {
        RootFileSystem of(Tree root) throws IOException;
    }

    static final Probe REAL = Tree::fileSystem;

    private final Probe probe;

    MountGuard(Probe probe) {
        this.probe = probe;
    }

    /**
     * Checks every root against what the job recorded, recording what it did not record yet (or, allowed, the
     * change). Records nothing unless every root passes.
     *
     * @param roots the job's roots by their name in messages and in the db ({@code source}, {@code dest}, ...)
     * @param record false for a dry run: compare only
     * @throws JobFailure fatal (exit 4) naming each root that moved and both file systems
     */
    void check(Map<String, Tree> roots, JobSettings settings, boolean allowChange, boolean record,
               TransferListener listener) {
        Map<String, RootFileSystem> toRecord = new LinkedHashMap<>();
        List<String> moved = new ArrayList<>();
        for (Map.Entry<String, Tree> root : roots.entrySet()) {
            RootFileSystem now;
            try {
                now = probe.of(root.getValue());
            } catch (IOException | RuntimeException e) {
                listener.warning("cannot tell which file system " + root.getValue().root() + " is on ("
                        + e.getMessage() + "); the mount guard does not check it this run");
                continue;
            }
            Optional<RootFileSystem> recorded = settings.fileSystem(root.getKey());
            if (recorded.isPresent() && !recorded.get().equals(now)) {
                String what = root.getKey().toUpperCase(java.util.Locale.ROOT) + " " + root.getValue().root()
                        + " is on " + now + ", but this job recorded " + recorded.get();
                if (!allowChange) {
                    moved.add(what);
                    continue;
                }
                listener.notice(what + "; --allow-fs-change: recording the new file system");
            }
            if (recorded.isEmpty() || !recorded.get().equals(now)) {
                toRecord.put(root.getKey(), now);
            }
        }
        if (!moved.isEmpty()) {
            throw JobFailure.fatal("stopping before any change: " + String.join("; ", moved) + ". Is a share not "
                    + "mounted, or mounted where it was not? (A share that is not mounted leaves its mount point as a "
                    + "plain local directory.) If the move is intended, run again with --allow-fs-change.");
        }
        if (record) {
            toRecord.forEach(settings::recordFileSystem);
        }
    }
}
