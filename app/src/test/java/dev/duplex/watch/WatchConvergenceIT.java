package dev.duplex.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.report.WatchStateFile;
import dev.duplex.testing.Duplex;
import dev.duplex.testing.Tree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A watch under a stream of random edits, creates, deletes, renames and new folders on both sides (seeded; the
 * pauses between them are part of the input): once the edits stop, both sides become equal, and a one-shot run
 * afterwards finds nothing to do. Catches what per-path passes could get wrong that a full reconcile would not.
 */
class WatchConvergenceIT {
    @TempDir
    Path tmp;

    @Test
    void bothSidesConvergeAfterRandomChangesOnEitherSideAndAOneShotRunHasNothingLeftToDo() throws Exception {
        for (long seed : new long[] {2L, 20261202L, 7L, 99L}) {
            run(seed);                            // seed 2 once left a rename's other end unsynced
        }
    }

    private void run(long seed) throws Exception {
        Path base = Files.createDirectories(tmp.resolve("s" + seed));
        Path left = Files.createDirectories(base.resolve("left"));
        Path right = Files.createDirectories(base.resolve("right"));
        Path db = base.resolve("state/job.db");
        Random r = new Random(seed);
        for (int i = 0; i < 10; i++) {
            write(left.resolve("f" + i + ".txt"), "start " + i);
        }
        AtomicReference<Duplex.Result> ended = new AtomicReference<>();
        Thread watch = new Thread(() -> ended.set(Duplex.run(base.resolve("home"), "bisync", "--watch", "-q",
                "--debounce", "100ms", "--max-delete", "100%", "--db", db.toString(), left.toString(),
                right.toString())));
        watch.start();
        try {
            await("the first full reconcile", () -> WatchStateFile.read(db)
                    .map(m -> m.get("last_sync") != null).orElse(false));
            for (int op = 0; op < 60; op++) {
                change(r.nextBoolean() ? left : right, r);
                Thread.sleep(r.nextInt(40));            // the pauses are part of the input, not synchronisation
            }
            await("both sides equal and nothing pending", () -> Tree.snapshotWithoutTrash(left)
                    .equals(Tree.snapshotWithoutTrash(right)) && WatchStateFile.read(db)
                    .map(m -> Long.valueOf(0).equals(m.get("pending"))).orElse(false));
        } finally {
            watch.interrupt();
            watch.join(60_000);
        }
        assertThat(ended.get().exitCode()).as(ended.get().toString()).isEqualTo(130);
        Duplex.Result again = Duplex.run(base.resolve("home"), "bisync", "--max-delete", "100%", "--db",
                db.toString(), left.toString(), right.toString());
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).as("seed " + seed + ": the watch left nothing to do")
                .contains("copied 0 left->right (0 B), 0 right->left (0 B); renamed 0; deleted 0 (+0 to the trash); "
                        + "mtimes 0; directories 0");
        assertThat(Tree.snapshotWithoutTrash(left)).isEqualTo(Tree.snapshotWithoutTrash(right));
    }

    private static void change(Path side, Random r) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(side)) {
            s.filter(Files::isRegularFile).filter(p -> !p.toString().contains(".sync_trash"))
                    .filter(p -> !p.getFileName().toString().endsWith(".duplex-tmp")).forEach(files::add);
        } catch (java.io.UncheckedIOException raced) {
            return;                                 // the watch moved something while we looked: no change now
        }
        int kind = files.isEmpty() ? 0 : r.nextInt(5);
        Path some = files.isEmpty() ? null : files.get(r.nextInt(files.size()));
        try {
            switch (kind) {
                case 0 -> write(side.resolve("new" + r.nextInt(1000) + ".txt"), "new " + r.nextLong());
                case 1 -> write(some, "edit " + r.nextLong());
                case 2 -> Files.delete(some);
                case 3 -> Files.move(some, some.resolveSibling("moved" + r.nextInt(1000) + ".txt"));
                default -> write(side.resolve("dir" + r.nextInt(5) + "/inner" + r.nextInt(100) + ".txt"),
                        "in a folder " + r.nextLong());
            }
        } catch (IOException raced) {
            // the watch moved or replaced it meanwhile: a change that did not happen
        }
    }

    /** A look at the trees while the watch changes them may meet a file that just went: not yet, then. */
    private static boolean holds(BooleanSupplier condition) {
        try {
            return condition.getAsBoolean();
        } catch (java.io.UncheckedIOException racing) {
            return false;
        }
    }

    private static void write(Path p, String text) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    /** Polls every 50 ms until {@code condition} holds; fails after 60 s. */
    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!holds(condition)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within 60 s: " + what);
            }
            Thread.sleep(50);
        }
    }
}
