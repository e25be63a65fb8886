package dev.duplex.backlog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.testing.Postgres;
import dev.duplex.tree.FileMetadata;
import dev.duplex.tree.LocalTree;
import dev.duplex.tree.RelPath;
import dev.duplex.tree.Roots;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shared backlog on a real PostgreSQL server: claims, leases, take-overs, the lead, the fence at commit. */
class SharedBacklogTest {
    private static Postgres pg;
    private static Path root;
    private static PathNames names;
    private static final Instant T = Instant.parse("2025-01-02T03:04:05.123456789Z");

    @BeforeAll
    static void server() throws Exception {
        pg = Postgres.start();
        root = Files.createTempDirectory("shared-backlog");
        Files.createDirectories(root.resolve("src"));
        Files.createDirectories(root.resolve("dst"));
        names = PathNames.of(new Roots(LocalTree.at(root.resolve("src")), List.of(LocalTree.at(root.resolve("dst")))));
    }

    @AfterAll
    static void stop() throws Exception {
        if (pg != null) {
            pg.close();
        }
    }

    @BeforeEach
    void freshDatabase() throws Exception {
        pg.createDatabase("claims");
    }

    private static BacklogStore open(String host, Duration lease) {
        PgDatabase db = PgDatabase.parse(pg.url("claims"), pg.env(), "postgres");
        return BacklogStores.openShared(db, names, new SharedBacklog.Worker(host, 1, lease));
    }

    /** Records {@code count} pending files of {@code size} bytes each, as a scan does. */
    private static void scan(BacklogStore store, int count, long size) {
        long scan = store.beginScan("");
        for (int i = 0; i < count; i++) {
            FileMetadata m = new FileMetadata(size, T, T, Optional.empty(), Optional.empty(), "rw-r--r--");
            store.upsertFile(new FileRow(RelPath.of(String.format("d/f%04d", i)), List.of(0), m), FileStatus.PENDING,
                    scan);
        }
        store.finishScan(scan, true);
    }

    private static List<String> drain(ClaimedRows rows) {
        List<String> out = new ArrayList<>();
        rows.forEachRemaining(r -> out.add(r.path().toString()));
        return out;
    }

    @Test
    void twoHostsClaimingAtOnceTakeDisjointFilesThatTogetherAreTheWholeBacklog() throws Exception {
        try (BacklogStore a = open("a", Duration.ofMinutes(1)); BacklogStore b = open("b", Duration.ofMinutes(1))) {
            scan(a, 500, 10);
            Set<String> seen = ConcurrentHashMap.newKeySet();
            List<String> doubles = new ArrayList<>();
            Thread other = new Thread(() -> {
                try (ClaimedRows rows = b.shared().orElseThrow().openClaims(7, 1 << 20, (p, h) -> { })) {
                    for (String p : drain(rows)) {
                        if (!seen.add(p)) {
                            synchronized (doubles) {
                                doubles.add(p);
                            }
                        }
                    }
                }
            });
            other.start();
            try (ClaimedRows rows = a.shared().orElseThrow().openClaims(5, 1 << 20, (p, h) -> { })) {
                List<String> mine = drain(rows);
                for (String p : mine) {
                    if (!seen.add(p)) {
                        synchronized (doubles) {
                            doubles.add(p);
                        }
                    }
                }
                other.join();
                assertThat(doubles).isEmpty();
                assertThat(seen).hasSize(500);
                assertThat(heldBy("a")).isEqualTo(mine.size()).isPositive();
                assertThat(heldBy("b")).as("b gave its files back when its claims closed").isZero();
            }
            // closing the claims gave back what was held and not finished
            assertThat(heldBy("a")).isZero();
        }
    }

    @Test
    void aBatchStopsAtTheByteBudgetButTakesAtLeastOneFile() {
        try (BacklogStore a = open("a", Duration.ofMinutes(1))) {
            scan(a, 10, 100);
            try (ClaimedRows rows = a.shared().orElseThrow().openClaims(64, 250, (p, h) -> { })) {
                rows.next();
                assertThat(rows.claimed()).isEqualTo(2);
            }
            try (ClaimedRows rows = a.shared().orElseThrow().openClaims(64, 1, (p, h) -> { })) {
                rows.next();
                assertThat(rows.claimed()).isEqualTo(1);
            }
        }
    }

    @Test
    void aHostClaimsMoreOnlyAsItFinishesWhatItHolds() {
        try (BacklogStore a = open("a", Duration.ofMinutes(1)); BacklogStore b = open("b", Duration.ofMinutes(1))) {
            scan(a, 12, 100);
            try (ClaimedRows rows = a.shared().orElseThrow().openClaims(64, 150, (p, h) -> { })) {
                List<FileRow> taken = new ArrayList<>();
                while (rows.hasNext()) {
                    taken.add(rows.next());
                }
                // batches of one file (150-byte budget): 300 bytes handed out reach twice the budget; the rest
                // stays for other hosts
                assertThat(taken).hasSize(3);
                assertThat(rows.hasNext()).as("held back").isFalse();
                try (ClaimedRows other = b.shared().orElseThrow().openClaims(64, 1 << 20, (p, h) -> { })) {
                    assertThat(drain(other)).hasSize(9);
                }
                // b gave its nine back when its claims closed; once a finishes what it holds, it claims them
                rows.settled(taken.get(0));
                assertThat(rows.hasNext()).isTrue();
                assertThat(rows.claimed()).isEqualTo(4);
            }
        }
    }

    @Test
    void filesOfAHostWhoseLeaseExpiredAreTakenOverAndItsCommitIsRefused() throws Exception {
        try (BacklogStore dead = open("dead", Duration.ofSeconds(1)); BacklogStore alive = open("alive",
                Duration.ofMinutes(1))) {
            scan(dead, 3, 10);
            ClaimedRows held = dead.shared().orElseThrow().openClaims(64, 1 << 20, (p, h) -> { });
            FileRow first = held.next();
            // while the lease holds, nothing is claimable for the other host
            try (ClaimedRows none = alive.shared().orElseThrow().openClaims(64, 1 << 20, (p, h) -> { })) {
                assertThat(none.hasNext()).isFalse();
            }
            waitUntilLeaseExpired("dead");
            Map<String, String> takenFrom = new ConcurrentHashMap<>();
            try (ClaimedRows rows = alive.shared().orElseThrow().openClaims(64, 1 << 20, takenFrom::put)) {
                assertThat(drain(rows)).hasSize(3);
                // the fence: the dead host cannot record its copy prepared any more, so it never renames
                assertThat(dead.markPrepared(first.path(), first.metadata(), "sha256", "00")).isFalse();
                assertThat(alive.markPrepared(first.path(), first.metadata(), "sha256", "00")).isTrue();
            }
            assertThat(new HashSet<>(takenFrom.values())).containsExactly("dead/1");
            held.close();
        }
    }

    @Test
    void onlyOneHostLeadsAtATimeAndTheLeadIsFreeAgainWhenItsHolderGoes() {
        try (BacklogStore a = open("a", Duration.ofMinutes(1)); BacklogStore b = open("b", Duration.ofMinutes(1))) {
            assertThat(a.shared().orElseThrow().tryLead()).isTrue();
            assertThat(b.shared().orElseThrow().tryLead()).isFalse();
            assertThat(b.shared().orElseThrow().leader()).contains("a/1");
            a.close(); // the holder's connections go, as when its process dies
            assertThat(b.shared().orElseThrow().tryLead()).isTrue();
            b.shared().orElseThrow().endLead();
        }
    }

    @Test
    void preparedFilesOfADeadHostAreTakenOverOnceTheirLeaseExpires() throws Exception {
        try (BacklogStore dead = open("dead", Duration.ofSeconds(1)); BacklogStore alive = open("alive",
                Duration.ofMinutes(1))) {
            scan(dead, 2, 10);
            try (ClaimedRows rows = dead.shared().orElseThrow().openClaims(64, 1 << 20, (p, h) -> { })) {
                FileRow f = rows.next();
                assertThat(dead.markPrepared(f.path(), f.metadata(), "sha256", "00")).isTrue();
            }
            assertThat(alive.shared().orElseThrow().takeOverPrepared()).isZero();
            assertThat(alive.preparedFiles()).isEmpty();
            waitUntilLeaseExpired("dead");
            assertThat(alive.shared().orElseThrow().takeOverPrepared()).isEqualTo(1);
            assertThat(alive.preparedFiles()).hasSize(1);
            assertThat(alive.shared().orElseThrow().outstanding()).isEqualTo(new SharedBacklog.Outstanding(1, 1, 0));
        }
    }

    private static long heldBy(String host) throws Exception {
        try (Connection c = pg.connect("claims"); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM files WHERE lease_until IS NOT NULL AND claimed_by = '"
                     + host + "/1'")) {
            r.next();
            return r.getLong(1);
        }
    }

    /** Polls the database's clock against the lease (no sleeping for a guessed time). */
    private static void waitUntilLeaseExpired(String host) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        try (Connection c = pg.connect("claims"); Statement s = c.createStatement()) {
            while (System.nanoTime() < deadline) {
                try (ResultSet r = s.executeQuery("SELECT count(*) FROM files WHERE claimed_by = '" + host
                        + "/1' AND lease_until >= " + Dialect.POSTGRES.nowMillis())) {
                    r.next();
                    if (r.getLong(1) == 0) {
                        return;
                    }
                }
                Thread.onSpinWait();
            }
        }
        throw new AssertionError("the lease of " + host + " did not expire");
    }
}
