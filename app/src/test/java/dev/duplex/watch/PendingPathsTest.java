package dev.duplex.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.tree.RelPath;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PendingPathsTest {
    private static final long MS = 1_000_000L;
    private final PendingPaths pending = new PendingPaths(300 * MS);

    @Test
    void aPathIsReadyOnlyAfterTheDebounceSinceItsLastEvent() {
        RelPath a = RelPath.of("a.txt");
        pending.touch(a, 0);
        pending.touch(a, 200 * MS);                 // still being written
        assertThat(pending.takeReady(400 * MS, Set.of())).isEmpty();
        assertThat(pending.nextReady(Set.of())).hasValue(500 * MS);
        assertThat(pending.takeReady(500 * MS, Set.of())).containsExactly(a);
        assertThat(pending.size()).isZero();
        assertThat(pending.nextReady(Set.of())).isEmpty();
    }

    @Test
    void aBurstIsTakenInOnePassNotOnePassPerPathTimer() {
        for (int i = 0; i < 8; i++) {
            pending.touch(RelPath.of("f" + i), i * 10_000L);       // 10 us apart: an rm -r
        }
        assertThat(pending.takeReady(pending.nextReady(Set.of()).getAsLong(), Set.of())).hasSize(8);
    }

    @Test
    void eventsForOnePathAreCoalesced() {
        for (int i = 0; i < 100; i++) {
            pending.touch(RelPath.of("f"), i * MS);
        }
        assertThat(pending.size()).isEqualTo(1);
        assertThat(pending.takeReady(1000 * MS, Set.of())).containsExactly(RelPath.of("f"));
    }

    @Test
    void pathsAtAboveOrBelowABusyOneWait() {
        pending.touch(RelPath.of("big/file.bin"), 0);
        pending.touch(RelPath.of("big"), 0);
        pending.touch(RelPath.of("big/file.bin/x"), 0);
        pending.touch(RelPath.of("other.txt"), 0);
        pending.touch(RelPath.of("bigger.txt"), 0);
        List<RelPath> ready = pending.takeReady(1000 * MS, Set.of(RelPath.of("big/file.bin")));
        assertThat(ready).containsExactlyInAnyOrder(RelPath.of("other.txt"), RelPath.of("bigger.txt"));
        assertThat(pending.size()).isEqualTo(3);
        assertThat(pending.nextReady(Set.of(RelPath.of("big/file.bin"))))
                .as("no wake-up for paths the lane holds back: no busy loop").isEmpty();
        assertThat(pending.takeReady(1000 * MS, Set.of())).hasSize(3);
    }

    @Test
    void aFullReconcileCoversEventsBeforeItsStartButNotAfter() {
        pending.touch(RelPath.of("seen"), 100 * MS);
        pending.touch(RelPath.of("during"), 900 * MS);
        pending.forgetBefore(500 * MS);
        assertThat(pending.takeReady(2000 * MS, Set.of())).containsExactly(RelPath.of("during"));
    }

    @Test
    void aFailedPathIsRetriedWithAGrowingPauseAndStartsAgainOnceItSyncs() {
        RelPath f = RelPath.of("locked.docx");
        pending.retry(List.of(f), 0);               // first failure: debounce x 2
        assertThat(pending.nextReady(Set.of())).hasValue(600 * MS);
        assertThat(pending.takeReady(600 * MS, Set.of())).containsExactly(f);
        pending.retry(List.of(f), 600 * MS);         // second: x 4
        assertThat(pending.nextReady(Set.of())).hasValue(600 * MS + 1200 * MS);
        pending.takeReady(10_000 * MS, Set.of());
        pending.succeeded(List.of(f));
        pending.retry(List.of(f), 0);
        assertThat(pending.nextReady(Set.of())).hasValue(600 * MS);
    }

    @Test
    void theRetryPauseStopsGrowingAtFiveMinutes() {
        RelPath f = RelPath.of("x");
        for (int i = 0; i < 40; i++) {
            pending.retry(List.of(f), 0);
            pending.takeReady(Long.MAX_VALUE / 2, Set.of());
        }
        pending.retry(List.of(f), 0);
        assertThat(pending.nextReady(Set.of())).hasValue(300_000 * MS);
    }
}
