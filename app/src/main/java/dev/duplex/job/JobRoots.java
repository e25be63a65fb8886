package dev.duplex.job;

import dev.duplex.backlog.BacklogStore;
import dev.duplex.commit.SuccessMarker;
import dev.duplex.report.TransferListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A run's roots before and after its work: the mount guard, the success marker of an earlier run removed, the
 * destination roots created; at the end, the success marker written. Job thread.
 */
final class JobRoots {
    private final SyncOptions options;
    private final TransferListener listener;
    private final Optional<SuccessMarker> success;

    JobRoots(SyncOptions options, TransferListener listener) {
        this.options = options;
        this.listener = listener;
        this.success = options.markers().successMarker().map(name -> new SuccessMarker(name, options.destinations()));
    }

    /** The job's roots as the mount guard names them. */
    static Map<String, Path> named(SyncOptions options) {
        Map<String, Path> roots = new LinkedHashMap<>();
        roots.put("source", options.source());
        roots.put("dest", options.destinations().get(0));
        if (options.isDualTarget()) {
            roots.put("dest2", options.destinations().get(1));
        }
        return roots;
    }

    /**
     * Before anything else changes: no success marker of an earlier run (even when this run stops at once: it must
     * not vouch for a run that did not exit 0), each root on the file system the job recorded, the destinations
     * there.
     */
    void prepare(BacklogStore store) {
        removeStaleSuccessMarker();
        new MountGuard(MountGuard.REAL).check(named(options), store.settings(), options.allowFsChange(), true,
                listener);
        store.commit();
        for (Path dest : options.destinations()) {
            try {
                Files.createDirectories(dest);
            } catch (IOException e) {
                throw JobFailure.fatal("cannot create destination root " + dest + ": " + SyncJob.describe(e)
                        + " (is the share mounted read-write?)", e);
            }
        }
    }

    /** A marker left by an earlier run must not vouch for this one, whatever becomes of it. */
    private void removeStaleSuccessMarker() {
        if (success.isEmpty()) {
            return;
        }
        try {
            success.get().removeStale();
        } catch (IOException e) {
            throw JobFailure.fatal("cannot remove the success marker of an earlier run (" + SyncJob.describe(e)
                    + "): " + paths() + "; a downstream job would take it for this run's", e);
        }
    }

    /** The run is about to exit 0: the success marker at every destination root. */
    void markSuccess() {
        if (success.isEmpty()) {
            return;
        }
        try {
            success.get().write();
            listener.notice("wrote the success marker " + paths());
        } catch (IOException e) {
            throw JobFailure.fatal("everything is synced, but the success marker cannot be written: "
                    + SyncJob.describe(e) + " (" + paths() + ")", e);
        }
    }

    private String paths() {
        return String.join(", ", success.orElseThrow().paths().stream().map(Path::toString).toList());
    }
}
