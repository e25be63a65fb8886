package dev.duplex.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.duplex.bisync.Side;
import dev.duplex.tree.RelPath;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeWatcherTest {
    @TempDir
    Path root;

    private final Set<RelPath> touched = ConcurrentHashMap.newKeySet();
    private final BlockingQueue<String> untrusted = new LinkedBlockingQueue<>();
    private final BlockingQueue<RelPath> arrivals = new LinkedBlockingQueue<>();

    private final TreeWatcher.Sink sink = new TreeWatcher.Sink() {
        @Override
        public void touched(Side side, RelPath path) {
            touched.add(path);
            arrivals.add(path);
        }

        @Override
        public void untrusted(Side side, String why, boolean rescanNow, boolean rewatch) {
            untrusted.add(why + (rescanNow ? " rescan" : "") + (rewatch ? " rewatch" : ""));
        }
    };

    private void awaitTouch(RelPath p) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!touched.contains(p)) {
            long left = deadline - System.nanoTime();
            assertThat(left).as("an event for " + p).isPositive();
            arrivals.poll(left, TimeUnit.NANOSECONDS);
        }
    }

    @Test
    void filesInAFolderMadeJustBeforeItIsRegisteredAreNotMissedTheFolderIsTouched() throws Exception {
        try (TreeWatcher w = TreeWatcher.start(Side.LEFT, root, sink)) {
            Files.createDirectories(root.resolve("new/deep"));
            Files.writeString(root.resolve("new/deep/f.txt"), "x");
            awaitTouch(RelPath.of("new"));              // the pass reads the whole folder
            Files.writeString(root.resolve("new/deep/later.txt"), "y");
            awaitTouch(RelPath.of("new/deep/later.txt"));
            Files.writeString(root.resolve(".sync_trash.txt"), "not the trash");
            awaitTouch(RelPath.of(".sync_trash.txt"));
            assertThat(touched).noneMatch(p -> p.toString().endsWith(".duplex-tmp"));
        }
    }

    @Test
    void aRootThatIsRemovedAsksForTheWatchToBeStartedAgain() throws Exception {
        Path r = Files.createDirectories(root.resolve("r"));
        try (TreeWatcher w = TreeWatcher.start(Side.RIGHT, r, sink)) {
            Files.delete(r);
            String why = untrusted.poll(10, TimeUnit.SECONDS);
            assertThat(why).contains("root was removed").endsWith("rescan rewatch");
        }
    }

    @Test
    void afterAnOverflowFoldersMadeMeanwhileAreWatchedToo() throws Exception {
        Path limit = Path.of("/proc/sys/fs/inotify/max_queued_events");
        assumeTrue(Files.isWritable(limit), "needs root to lower fs.inotify.max_queued_events");
        String was = readProc(limit);
        TreeWatcher w;
        Files.writeString(limit, "16\n");              // read at inotify_init: only this watcher gets it
        try {
            w = TreeWatcher.start(Side.LEFT, root, sink);
        } finally {
            Files.writeString(limit, was + "\n");
        }
        try (w) {
            for (int i = 0; i < 300; i++) {
                Files.createDirectories(root.resolve("d" + i));
            }
            String why = untrusted.poll(10, TimeUnit.SECONDS);
            assertThat(why).isEqualTo("its event queue overflowed rescan");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (w.directories() < 301) {            // re-registered on the watcher's thread after the overflow
                assertThat(System.nanoTime()).as("all 300 folders watched").isLessThan(deadline);
                arrivals.poll(20, TimeUnit.MILLISECONDS);
            }
            touched.clear();
            Files.writeString(root.resolve("d299/f.txt"), "z");
            awaitTouch(RelPath.of("d299/f.txt"));
        }
    }

    @Test
    void reachingTheInotifyWatchLimitIsToldWithWhatToRaise() throws Exception {
        Path limit = Path.of("/proc/sys/fs/inotify/max_user_watches");
        assumeTrue(Files.isWritable(limit), "needs root to lower fs.inotify.max_user_watches for a moment");
        for (int i = 0; i < 20; i++) {
            Files.createDirectories(root.resolve("d" + i));
        }
        String was = readProc(limit);
        TreeWatcher w;
        Files.writeString(limit, (watchesInUse() + 5) + "\n");   // room for 5 of the 21 folders
        try {
            w = TreeWatcher.start(Side.LEFT, root, sink);
        } finally {
            Files.writeString(limit, was + "\n");
        }
        try (w) {
            assertThat(readProc(limit)).isEqualTo(was);
            String why = untrusted.poll(10, TimeUnit.SECONDS);
            assertThat(why).contains("inotify watch limit is reached", "fs.inotify.max_user_watches")
                    .doesNotContain("rescan");
            assertThat(w.directories()).isLessThan(21);
        }
    }

    /** The inotify watches root's processes hold now (the limit counts them all, per user). */
    private static long watchesInUse() throws IOException {
        long n = 0;
        try (java.util.stream.Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(q -> q.getFileName().toString().matches("\\d+")).toList()) {
                try (java.util.stream.Stream<Path> fds = Files.list(p.resolve("fdinfo"))) {
                    if (!Integer.valueOf(0).equals(Files.getAttribute(p, "unix:uid"))) {
                        continue;                          // the limit is per user: root's watches only
                    }
                    for (Path fd : fds.toList()) {
                        n += Files.readAllLines(fd).stream().filter(l -> l.startsWith("inotify wd:")).count();
                    }
                } catch (IOException | java.io.UncheckedIOException gone) {
                    // the process ended meanwhile, or is not ours to read
                }
            }
        }
        return n;
    }

    private static String readProc(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return new String(in.readNBytes(256), StandardCharsets.US_ASCII).trim();
        }
    }
}
