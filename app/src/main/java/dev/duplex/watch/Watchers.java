package dev.duplex.watch;

import dev.duplex.bisync.Side;
import dev.duplex.job.BisyncOptions;
import dev.duplex.job.JobFailure;
import dev.duplex.job.Location;
import dev.duplex.tree.RelPath;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The event watchers of a watch: one per local side. A {@code duplex://} side raises no events here (its changes
 * are found by the full reconciles), which is said once at the start and shown in the status.
 */
final class Watchers implements AutoCloseable {
    private final BisyncOptions options;
    private final WatchQueue queue;
    private final WatchStatus status;
    private final Consumer<String> warnings;
    private List<TreeWatcher> watchers = List.of();
    private List<String> described = List.of();
    private boolean allLocal = true;
    private final java.util.Map<String, Long> warned = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<Path, Object> rootKeys = new java.util.HashMap<>();
    /** Where a share can be told from a local disk by its file system's name. */
    private static final boolean LINUX = System.getProperty("os.name", "").equals("Linux");

    private Watchers(BisyncOptions options, WatchQueue queue, WatchStatus status, Consumer<String> warnings) {
        this.options = options;
        this.queue = queue;
        this.status = status;
        this.warnings = warnings;
    }

    static Watchers start(BisyncOptions options, WatchQueue queue, WatchStatus status, Consumer<String> warnings) {
        Watchers w = new Watchers(options, queue, status, warnings);
        w.startAll(true);
        return w;
    }

    /** Watches both roots afresh (after a root was away: an unmount ends the watches below it). */
    void restart() {
        watchers.forEach(TreeWatcher::close);
        rootKeys.clear();
        startAll(false);
    }

    private void startAll(boolean first) {
        TreeWatcher.Sink sink = new TreeWatcher.Sink() {
            @Override
            public void touched(Side side, RelPath path) {
                status.event(Instant.now());
                queue.touched(side, path);
            }

            @Override
            public void untrusted(Side side, String why, boolean rescanNow, boolean rewatch) {
                queue.untrusted(side, why, rescanNow, rewatch);
                long now = System.nanoTime();
                Long last = warned.get(side + why);
                if (last != null && now - last < 60_000_000_000L) {
                    return;                        // an overflow reaches every watched directory at once: say it once
                }
                warned.put(side + why, now);
                warnings.accept("events of the " + side.label() + " side cannot be trusted: " + why
                        + (rescanNow ? "; a full reconcile runs now" : ""));
            }
        };
        List<TreeWatcher> started = new ArrayList<>();
        List<String> described = new ArrayList<>();
        boolean allLocal = true;
        try {
            for (Side side : Side.values()) {
                Location at = side == Side.LEFT ? options.left() : options.right();
                Optional<Path> local = at.localPath();
                if (local.isEmpty()) {
                    allLocal = false;
                    if (first) {
                        warnings.accept(side.label().toUpperCase(java.util.Locale.ROOT) + " " + at.name() + " is remote: "
                            + "its changes raise no events here and are found by the full reconcile (every "
                                + "--full-scan-interval)");
                    }
                    described.add(side.label() + ": full reconciles only (remote)");
                    continue;
                }
                rootKeys.put(local.get(), fileKey(local.get()));
                TreeWatcher w = TreeWatcher.start(side, local.get(), sink);
                started.add(w);
                boolean share = LINUX && !dev.duplex.tree.LocalFileSystem.isLocal(local.get());
                if (share && first) {
                    warnings.accept(side.label().toUpperCase(java.util.Locale.ROOT) + " " + local.get() + " is on a "
                            + "network file system: changes made on the server or by other machines raise no events "
                            + "here and are found by the full reconcile (every --full-scan-interval; lower it to "
                            + "find them sooner)");
                }
                described.add(side.label() + ": events" + (share ? " of this machine's changes only (network file "
                        + "system)" : "") + ", " + w.directories() + " directories");
            }
        } catch (IOException e) {
            started.forEach(TreeWatcher::close);
            throw JobFailure.fatal("cannot watch for changes: " + e.getMessage(), e);
        }
        status.events(String.join("; ", described));
        this.watchers = started;
        this.described = described;
        this.allLocal = allLocal;
    }

    /**
     * Whether a watched root is now another directory than the one watched (moved away and replaced, remounted):
     * its watches follow the old one, so they must be started again.
     */
    boolean rootsReplaced() {
        return rootKeys.entrySet().stream().anyMatch(e -> !java.util.Objects.equals(fileKey(e.getKey()), e.getValue()));
    }

    private static Object fileKey(Path root) {
        try {
            return java.nio.file.Files.readAttributes(root, java.nio.file.attribute.BasicFileAttributes.class,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /** Both sides are local paths (a lane of its own can then copy a large file while small ones go on). */
    boolean allLocal() {
        return allLocal;
    }

    String describe() {
        return String.join("; ", described);
    }

    @Override
    public void close() {
        watchers.forEach(TreeWatcher::close);
    }
}
