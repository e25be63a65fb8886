package dev.duplex.job;

import dev.duplex.backlog.JobSettings;
import dev.duplex.backlog.RootFileSystem;
import dev.duplex.report.TransferListener;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
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
    /** Reads the file system a path is on; a seam for tests. */
    interface Probe {
        RootFileSystem of(Path root) throws IOException;
    }

    static final Probe REAL = MountGuard::probe;

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
    void check(Map<String, Path> roots, JobSettings settings, boolean allowChange, boolean record,
               TransferListener listener) {
        Map<String, RootFileSystem> toRecord = new LinkedHashMap<>();
        List<String> moved = new ArrayList<>();
        for (Map.Entry<String, Path> root : roots.entrySet()) {
            RootFileSystem now;
            try {
                now = probe.of(root.getValue());
            } catch (IOException | RuntimeException e) {
                listener.warning("cannot tell which file system " + root.getValue() + " is on (" + e.getMessage()
                        + "); the mount guard does not check it this run");
                continue;
            }
            Optional<RootFileSystem> recorded = settings.fileSystem(root.getKey());
            if (recorded.isPresent() && !recorded.get().equals(now)) {
                String what = root.getKey().toUpperCase(java.util.Locale.ROOT) + " " + root.getValue() + " is on "
                        + now + ", but this job recorded " + recorded.get();
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
            throw JobFailure.fatal("stopping before any change: " + String.join("; ", moved) + ". Is the share "
                    + "mounted? (An unmounted share leaves its mount point as a plain local directory.) If the move "
                    + "is intended, run again with --allow-fs-change.");
        }
        if (record) {
            toRecord.forEach(settings::recordFileSystem);
        }
    }

    /**
     * The file system of {@code root}, or of its nearest existing parent when it does not exist yet (a destination
     * created by the run lands there): its device, type, and mount point (the top directory above it on the same
     * file system).
     */
    static RootFileSystem probe(Path root) throws IOException {
        Path existing = root.toAbsolutePath().normalize();
        while (!Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
            if (existing == null) {
                throw new IOException("no part of " + root + " exists");
            }
        }
        Path real = existing.toRealPath();
        FileStore store = Files.getFileStore(real);
        Path mountPoint = real;
        for (Path parent = real.getParent(); parent != null; parent = parent.getParent()) {
            if (!Files.getFileStore(parent).equals(store)) {
                break;
            }
            mountPoint = parent;
        }
        return new RootFileSystem(store.name(), store.type(), mountPoint.toString());
    }
}
