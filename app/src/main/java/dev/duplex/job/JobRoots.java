package dev.duplex.job;

import dev.duplex.backlog.BacklogStore;
import dev.duplex.commit.SuccessMarker;
import dev.duplex.report.TransferListener;
import java.io.IOException;
import dev.duplex.tree.RelPath;
import dev.duplex.tree.Roots;
import dev.duplex.tree.Tree;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A run's roots before and after its work: the mount guard, the success marker of an earlier run removed, the
 * destination roots created; at the end, the success marker written. Job thread.
 */
final class JobRoots {
    private final SyncOptions options;
    private final Roots roots;
    private final TransferListener listener;
    private final Optional<SuccessMarker> success;

    JobRoots(SyncOptions options, Roots roots, TransferListener listener) {
        this.options = options;
        this.roots = roots;
        this.listener = listener;
        this.success = options.markers().successMarker().map(name -> new SuccessMarker(name, roots.destinations()));
    }

    /** The job's roots as the mount guard names them. */
    static Map<String, Tree> named(Roots roots) {
        Map<String, Tree> named = new LinkedHashMap<>();
        named.put("source", roots.source());
        named.put("dest", roots.destination(0));
        if (roots.destinationCount() > 1) {
            named.put("dest2", roots.destination(1));
        }
        return named;
    }

    /**
     * Before anything else changes: no success marker of an earlier run (even when this run stops at once: it must
     * not vouch for a run that did not exit 0), each root on the file system the job recorded, the destinations
     * there.
     */
    void prepare(BacklogStore store) {
        removeStaleSuccessMarker();
        new MountGuard(MountGuard.REAL).check(named(roots), store.settings(), options.allowFsChange(), true,
                listener);
        store.commit();
        for (Tree dest : roots.destinations()) {
            try {
                dest.makeDirectories(RelPath.ROOT);
            } catch (IOException e) {
                throw JobFailure.fatal("cannot create destination root " + dest.root() + ": " + SyncJob.describe(e)
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
        return String.join(", ", success.orElseThrow().names());
    }
}
