package dev.duplex.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.bisync.Side;
import dev.duplex.tree.RelPath;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WatchQueueTest {
    private static final long HOUR = 3_600_000_000_000L;

    @Test
    void anOverflowAsksForAFullReconcileAtOnceWhateverTheDebounce() {
        WatchQueue q = new WatchQueue(HOUR);
        long now = System.nanoTime();
        q.touched(Side.LEFT, RelPath.of("a"));
        assertThat(q.next(now, now + HOUR, Set.of()).full()).isFalse();
        q.untrusted(Side.LEFT, "its event queue overflowed", true, false);
        assertThat(q.next(now, now + HOUR, Set.of()).full()).isTrue();
    }

    @Test
    void aWatchLimitDoesNotAskForAFullReconcileNow() {
        WatchQueue q = new WatchQueue(HOUR);
        long now = System.nanoTime();
        q.untrusted(Side.RIGHT, "the inotify watch limit is reached", false, false);
        assertThat(q.next(now, now + HOUR, Set.of()).full()).isFalse();
    }

    @Test
    void anOverflowDuringAFullReconcileIsNotLost() {
        WatchQueue q = new WatchQueue(HOUR);
        q.requestFullScan();
        long start = System.nanoTime();
        q.untrusted(Side.LEFT, "its event queue overflowed", true, false);   // while that reconcile runs
        q.fullScanDone(start);
        long now = System.nanoTime();
        assertThat(q.next(now, now + HOUR, Set.of()).full()).isTrue();
        long later = System.nanoTime();
        q.fullScanDone(later);
        assertThat(q.next(System.nanoTime(), System.nanoTime() + HOUR, Set.of()).full()).isFalse();
    }

    @Test
    void theFullScanTimeComesRound() {
        WatchQueue q = new WatchQueue(HOUR);
        long now = System.nanoTime();
        assertThat(q.next(now, now - 1, Set.of()).full()).isTrue();
    }

    @Test
    void anEventWakesAWaitThatBeganAfterTheLoopLooked() throws Exception {
        WatchQueue q = new WatchQueue(0);
        long now = System.nanoTime();
        WatchQueue.Next next = q.next(now, now + HOUR, Set.of());
        assertThat(next.ready()).isEmpty();
        q.touched(Side.LEFT, RelPath.of("arrived-in-between"));          // before the loop waits
        CompletableFuture<Void> waited = CompletableFuture.runAsync(() -> {
            try {
                q.await(System.nanoTime() + HOUR, next.seen());
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        waited.get(10, TimeUnit.SECONDS);                                   // returns at once, not in an hour
        assertThat(q.next(System.nanoTime(), System.nanoTime() + HOUR, Set.of()).ready())
                .containsExactly(RelPath.of("arrived-in-between"));
    }

    @Test
    void aWaitingLoopIsWokenByAnEvent() throws Exception {
        WatchQueue q = new WatchQueue(0);
        long seen = q.seen();
        CompletableFuture<Void> waited = CompletableFuture.runAsync(() -> {
            try {
                q.await(System.nanoTime() + HOUR, seen);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        q.touched(Side.RIGHT, RelPath.of("x"));
        waited.get(10, TimeUnit.SECONDS);
        assertThat(waited).isDone();
    }
}
