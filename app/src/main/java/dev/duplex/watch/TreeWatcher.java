package dev.duplex.watch;

import dev.duplex.bisync.Side;
import dev.duplex.bisync.SideScanner;
import dev.duplex.tree.RelPath;
import dev.duplex.tree.TempName;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Watches one local root with the JDK's {@link WatchService} (inotify on Linux, ReadDirectoryChangesW on Windows):
 * every directory is registered, new directories as they appear; each event becomes a touched path. The trash and
 * duplex's temp files are left out. When events cannot be trusted (the queue overflowed, the watch limit is
 * reached), the {@link Sink} is told why, so the watch falls back to full reconciles.
 */
final class TreeWatcher implements AutoCloseable {
    /** Where events go; called from the watcher's thread. */
    interface Sink {
        void touched(Side side, RelPath path);

        /**
         * Events of {@code side} may be missing; {@code rescanNow}: a full reconcile should run at once;
         * {@code rewatch}: this watcher has lost its root (removed, replaced, unmounted) and must be started again.
         */
        void untrusted(Side side, String why, boolean rescanNow, boolean rewatch);
    }

    private final Side side;
    private final Path root;
    private final Sink sink;
    private final WatchService service;
    private final Map<WatchKey, RelPath> keys = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean limitReached;

    private TreeWatcher(Side side, Path root, Sink sink) throws IOException {
        this.side = side;
        this.root = root;
        this.sink = sink;
        this.service = root.getFileSystem().newWatchService();
        this.thread = new Thread(this::loop, "duplex-watch-" + side.label());
        this.thread.setDaemon(true);
    }

    /** Registers the whole tree, then delivers its events until closed. */
    static TreeWatcher start(Side side, Path root, Sink sink) throws IOException {
        TreeWatcher w = new TreeWatcher(side, root, sink);
        w.register(RelPath.ROOT);
        w.thread.start();
        return w;
    }

    /** How many directories are watched. */
    int directories() {
        return keys.size();
    }

    private void register(RelPath top) {
        Path start = top.isRoot() ? root : root.resolve(top.toString());
        try {
            Files.walkFileTree(start, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    RelPath rel = relative(dir);
                    if (!rel.isRoot() && rel.toString().equals(SideScanner.TRASH)) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    if (limitReached) {
                        return FileVisitResult.TERMINATE;
                    }
                    try {
                        keys.put(dir.register(service, StandardWatchEventKinds.ENTRY_CREATE,
                                StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY), rel);
                    } catch (IOException e) {
                        if (String.valueOf(e.getMessage()).contains("inotify")) {
                            limitReached = true;
                            sink.untrusted(side, "the inotify watch limit is reached (" + keys.size()
                                    + " directories watched on this side; raise fs.inotify.max_user_watches, e.g. "
                                    + "sysctl -w fs.inotify.max_user_watches=1048576): changes below the rest are "
                                    + "found by the full reconcile only (--full-scan-interval)", false, false);
                            return FileVisitResult.TERMINATE;
                        }
                        throw e;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE;          // gone meanwhile, or unreadable: the pass says so
                }
            });
        } catch (IOException | ClosedWatchServiceException e) {
            // the directory went away while being registered: its delete is an event of its own
        }
    }

    private RelPath relative(Path p) {
        String rel = root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
        return RelPath.of(rel);
    }

    private void loop() {
        try {
            while (true) {
                WatchKey key = service.take();
                RelPath dir = keys.get(key);
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                        register(RelPath.ROOT);   // folders made meanwhile raised no event: watch them too
                        sink.untrusted(side, "its event queue overflowed", true, false);
                        continue;
                    }
                    if (dir == null || !(event.context() instanceof Path name)) {
                        continue;
                    }
                    deliver(dir, name.toString(), event.kind() == StandardWatchEventKinds.ENTRY_CREATE);
                }
                if (!key.reset()) {
                    keys.remove(key);                      // the directory is gone
                    if (dir != null && dir.isRoot()) {
                        sink.untrusted(side, "its root was removed, replaced or unmounted", true, true);
                    }
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed: the watch is stopping
        }
    }

    private void deliver(RelPath dir, String name, boolean created) {
        if (TempName.isTemp(name) || !RelPath.isValidName(name)) {
            return;
        }
        RelPath path = dir.resolve(name);
        if (path.startsWith(RelPath.of(SideScanner.TRASH))) {
            return;
        }
        if (created && Files.isDirectory(root.resolve(path.toString()), LinkOption.NOFOLLOW_LINKS)) {
            register(path);                // first: what is made in it from now on raises events of its own,
        }
        sink.touched(side, path);          // and what was made before is found by the pass reading it whole
    }

    @Override
    public void close() {
        try {
            service.close();
        } catch (IOException ignored) {
            // closing on the way out
        }
        thread.interrupt();
    }
}
