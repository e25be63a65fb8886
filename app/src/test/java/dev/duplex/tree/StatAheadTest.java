package dev.duplex.tree;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.tree.FileMetadata;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatAheadTest {
    private static final Path DIR = Path.of("/some/dir");
    private ExecutorService pool;

    @AfterEach
    void stopPool() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    /** A stat whose size is the name's number: results can be matched to the names they belong to. */
    private static MetadataReader.Stat fakeStat(Path p) {
        long size = Long.parseLong(p.getFileName().toString().substring(1));
        return new MetadataReader.Stat(EntryKind.FILE, new FileMetadata(size, Instant.EPOCH, Instant.EPOCH,
                Optional.empty(), Optional.empty(), ""));
    }

    private static List<String> names(int n) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add("f" + i);
        }
        return names;
    }

    @ParameterizedTest(name = "{0} entries, {1} threads")
    @CsvSource({"0, 1", "1, 1", "7, 1", "0, 4", "1, 4", "7, 4", "8, 4", "9, 4", "1000, 2", "1000, 8", "5000, 3"})
    void handsBackEveryEntryInNameOrder(int entries, int threads) throws Exception {
        pool = threads == 1 ? null : Executors.newFixedThreadPool(threads);
        List<String> names = names(entries);
        try (StatAhead ahead = new StatAhead(DIR, names, StatAheadTest::fakeStat, pool, threads)) {
            for (int i = 0; i < entries; i++) {
                StatAhead.Result r = ahead.get(i);
                assertThat(r.error()).isNull();
                assertThat(r.stat().metadata().sizeBytes()).as("entry %d", i).isEqualTo(i);
            }
        }
    }

    @Test
    void handsBackErrorsInsteadOfThrowingThem() throws Exception {
        pool = Executors.newFixedThreadPool(2);
        StatAhead.StatFunction failing = p -> switch (p.getFileName().toString()) {
            case "f3" -> throw new NoSuchFileException(p.toString());
            case "f5" -> throw new AccessDeniedException(p.toString());
            default -> fakeStat(p);
        };
        try (StatAhead ahead = new StatAhead(DIR, names(10), failing, pool, 2)) {
            for (int i = 0; i < 10; i++) {
                StatAhead.Result r = ahead.get(i);
                if (i == 3) {
                    assertThat(r.error()).isInstanceOf(NoSuchFileException.class);
                } else if (i == 5) {
                    assertThat(r.error()).isInstanceOf(AccessDeniedException.class).hasMessage("/some/dir/f5");
                } else {
                    assertThat(r.stat().metadata().sizeBytes()).isEqualTo(i);
                }
            }
        }
    }

    @Test
    void statsRunAtTheSameTimeSoTheirLatenciesOverlap() throws Exception {
        int threads = 4;
        pool = Executors.newFixedThreadPool(threads);
        CountDownLatch allInFlight = new CountDownLatch(threads);
        StatAhead.StatFunction slow = p -> {
            allInFlight.countDown();
            try {
                // every stat waits until four are in flight at once: only a parallel read gets past this
                if (!allInFlight.await(20, TimeUnit.SECONDS)) {
                    throw new IOException("the stats were not in flight together");
                }
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            return fakeStat(p);
        };
        try (StatAhead ahead = new StatAhead(DIR, names(8), slow, pool, threads)) {
            for (int i = 0; i < 8; i++) {
                assertThat(ahead.get(i).error()).isNull();
            }
        }
    }

    @Test
    void readsAtMostAWindowAheadOfTheWalk() throws Exception {
        int threads = 2;
        pool = Executors.newFixedThreadPool(threads);
        AtomicInteger statted = new AtomicInteger();
        StatAhead.StatFunction counting = p -> {
            statted.incrementAndGet();
            return fakeStat(p);
        };
        try (StatAhead ahead = new StatAhead(DIR, names(100_000), counting, pool, threads)) {
            assertThat(ahead.get(0).stat().metadata().sizeBytes()).isZero();
            pool.shutdown();
            assertThat(pool.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
        }
        // chunks of 64 entries, the one asked for plus a window of 2 x threads chunks ahead of it
        assertThat(statted.get()).isEqualTo((1 + 2 * threads) * 64);
    }
}
