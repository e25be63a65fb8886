package dev.duplex.packaged;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.packaged.Trees.Version;
import dev.duplex.testing.Postgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several duplex processes on one job through a real PostgreSQL server (started by the test), as several hosts
 * would run it: a worker killed with SIGKILL mid-transfer, two destinations, the scanning host killed mid-scan,
 * the database stopped mid-run, an unreachable database, another job's database.
 */
class SharedJobIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(180);
    private static final Instant MTIME = Instant.parse("2025-03-04T05:06:07.123456789Z");
    private static Postgres pg;

    @TempDir
    Path work;

    @BeforeAll
    static void server() {
        pg = Postgres.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (pg != null) {
            pg.close();
        }
    }

    /** A seeded tree: {@code files} files of 1-200 KiB in nested folders, every 50th one of 1-3 MiB. */
    private static Map<String, Version> tree(Path root, int files, long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < files; i++) {
            int size = i % 50 == 0 ? (1 << 20) + random.nextInt(2 << 20) : 1024 + random.nextInt(200 << 10);
            byte[] content = new byte[size];
            random.nextBytes(content);
            Trees.write(root.resolve("d" + (i % 7) + "/e" + (i % 3) + "/f" + i + ".bin"), content, MTIME);
        }
        return Trees.files(root);
    }

    private Process worker(String name, String database, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("--db", pg.url(database), "--lease", "2s",
                "--log", work.resolve(name + ".audit.jsonl").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = DuplexProcess.jar(command.toArray(String[]::new));
        pb.environment().putAll(pg.env());
        pb.environment().put("XDG_STATE_HOME", work.resolve("state").toString());
        pb.redirectErrorStream(true).redirectOutput(work.resolve(name + ".out").toFile());
        return pb.start();
    }

    private String output(String name) throws Exception {
        return Files.readString(work.resolve(name + ".out"));
    }

    private int exitOf(Process p, String name) throws Exception {
        assertThat(p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).as(name + " finished").isTrue();
        return p.exitValue();
    }

    /** Polls a worker's audit log until it has recorded {@code n} synced files (bounded). */
    private void awaitSynced(String name, int n, Process p) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        Path log = work.resolve(name + ".audit.jsonl");
        while (System.nanoTime() < deadline && p.isAlive()) {
            if (Files.exists(log) && syncedLines(log, true).size() >= n) {
                return;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError(name + " did not sync " + n + " files:\n" + output(name));
    }

    private static List<String> syncedLines(Path log, boolean torn) {
        return Trees.auditLines(log, torn).stream().filter(l -> "synced".equals(Trees.field(l, "event"))).toList();
    }

    /** Synced lines per source file name, across the given logs. */
    private Map<String, List<String>> syncedBy(List<String> names, String killed) {
        Map<String, List<String>> out = new HashMap<>();
        for (String n : names) {
            for (String l : syncedLines(work.resolve(n + ".audit.jsonl"), n.equals(killed))) {
                out.computeIfAbsent(Trees.field(l, "source"), k -> new ArrayList<>()).add(n);
            }
        }
        return out;
    }

    private long count(String database, String query) throws Exception {
        try (Connection c = pg.connect(database); Statement s = c.createStatement(); ResultSet r = s.executeQuery(query)) {
            r.next();
            return r.getLong(1);
        }
    }

    @Test
    void threeWorkersOneKilledMidTransferStillCopyEveryFileOnce() throws Exception {
        pg.createDatabase("killed");
        Path src = work.resolve("src");
        Path dst = work.resolve("dst");
        Map<String, Version> source = tree(src, 400, 17);
        // which worker dies, and after how many of its files: seeded (-Dduplex.shared.seed replays another)
        Random chance = new Random(Long.getLong("duplex.shared.seed", 20261202L));
        List<String> names = List.of("w1", "w2", "w3");
        String victim = names.get(chance.nextInt(3));
        int after = 5 + chance.nextInt(30);
        Map<String, Process> workers = new java.util.LinkedHashMap<>();
        for (String n : names) {
            workers.put(n, worker(n, "killed", "--bwlimit", "3M", src.toString(), dst.toString()));
        }
        awaitSynced(victim, after, workers.get(victim));
        assertThat(workers.get(victim).isAlive()).as(victim + " still working when killed").isTrue();
        workers.get(victim).destroyForcibly().waitFor(); // SIGKILL: no chance to give its files back
        StringBuilder survivorsOut = new StringBuilder();
        for (String n : names) {
            if (!n.equals(victim)) {
                assertThat(exitOf(workers.get(n), n)).as(output(n)).isZero();
                survivorsOut.append(output(n));
            }
        }

        assertThat(Trees.files(dst)).isEqualTo(source);
        Trees.assertNoTemps(dst);
        assertThat(survivorsOut.toString()).contains("taking over the files of");
        Map<String, List<String>> synced = syncedBy(names, victim);
        assertThat(synced).hasSize(source.size());
        synced.forEach((file, by) -> {
            // one synced line per file; a second only where the killed worker renamed and logged a file whose
            // record had not reached the db, and the host that took it over rolled that commit forward
            if (by.size() > 1) {
                assertThat(by).as(file).hasSize(2).containsOnlyOnce(victim);
                assertThat(survivorsOut.toString()).as(file + " logged twice")
                        .contains("completed the interrupted commit of " + file + " (rolled forward)");
            }
        });
        assertThat(count("killed", "SELECT count(*) FROM files WHERE status <> 'synced' OR lease_until IS NOT NULL"))
                .isZero();
        assertThat(count("killed", "SELECT count(DISTINCT host) FROM runs")).isEqualTo(3);

        DuplexProcess.Result status = run("status", "--db", pg.url("killed"));
        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(status.out()).contains("hosts (latest runs on the shared job):").contains("synced:   400 files");
        assertThat(status.out().lines().filter(l -> l.contains("; holds ")).count()).isEqualTo(3);
        DuplexProcess.Result history = run("history", "--db", pg.url("killed"));
        assertThat(history.out()).contains("host").contains("no end recorded");
    }

    @Test
    void twoDestinationsAcrossThreeWorkersGetEveryFileOnceEach() throws Exception {
        pg.createDatabase("dual");
        Path src = work.resolve("src");
        Map<String, Version> source = tree(src, 300, 5);
        List<Process> workers = new ArrayList<>();
        for (String n : List.of("a", "b", "c")) {
            // paced, so that one fast worker cannot finish the job before the others have joined it
            workers.add(worker(n, "dual", "--bwlimit", "4M", src.toString(), work.resolve("d1").toString(),
                    work.resolve("d2").toString()));
        }
        for (int i = 0; i < 3; i++) {
            assertThat(exitOf(workers.get(i), "abc".substring(i, i + 1))).as(output("abc".substring(i, i + 1))).isZero();
        }
        assertThat(Trees.files(work.resolve("d1"))).isEqualTo(source);
        assertThat(Trees.files(work.resolve("d2"))).isEqualTo(source);
        Trees.assertNoTemps(work.resolve("d1"), work.resolve("d2"));
        Map<String, List<String>> synced = syncedBy(List.of("a", "b", "c"), "");
        assertThat(synced).hasSize(source.size()).allSatisfy((file, by) -> assertThat(by).hasSize(1));
        assertThat(count("dual", "SELECT count(DISTINCT claimed_by) FROM files")).as("work was shared").isGreaterThan(1);
    }

    @Test
    void whenTheScanningHostIsKilledMidScanAnotherScansAndTheJobFinishes() throws Exception {
        pg.createDatabase("leader");
        Path src = work.resolve("src");
        for (int i = 0; i < 20_000; i++) {
            Trees.write(src.resolve("s" + (i % 300) + "/n" + i), new byte[i % 3], MTIME);
        }
        Map<String, Version> source = Trees.files(src);
        Path dst = work.resolve("dst");
        ProcessBuilder pb = DuplexProcess.jar("--db", pg.url("leader"), "--lease", "2s", "--log",
                work.resolve("first.audit.jsonl").toString(), src.toString(), dst.toString());
        pb.environment().putAll(pg.env());
        pb.environment().put("XDG_STATE_HOME", work.resolve("state").toString());
        Process first = pb.start();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (count("leader", "SELECT count(*) FROM information_schema.tables WHERE table_name='job'") == 0
                || count("leader", "SELECT count(*) FROM job WHERE key='scan_finished' AND value='false'") == 0) {
            assertThat(System.nanoTime() < deadline && first.isAlive()).as("the first run began its scan").isTrue();
            Thread.onSpinWait();
        }
        first.destroyForcibly().waitFor();
        assertThat(count("leader", "SELECT count(*) FROM job WHERE key='scan_finished' AND value='false'"))
                .as("killed while scanning").isEqualTo(1);

        Process b = worker("b", "leader", src.toString(), dst.toString());
        Process c = worker("c", "leader", src.toString(), dst.toString());
        assertThat(exitOf(b, "b")).as(output("b")).isZero();
        assertThat(exitOf(c, "c")).as(output("c")).isZero();
        assertThat(output("b") + output("c")).contains("scans for the shared job");
        assertThat(Trees.files(dst)).isEqualTo(source);
        assertThat(count("leader", "SELECT count(*) FROM files WHERE status <> 'synced'")).isZero();
    }

    @Test
    void theDatabaseStoppedMidRunEndsTheRunsCleanlyWithExit4AndANewRunFinishes() throws Exception {
        pg.createDatabase("restart");
        Path src = work.resolve("src");
        Path dst = work.resolve("dst");
        Map<String, Version> source = tree(src, 200, 9);
        Process one = worker("one", "restart", "--bwlimit", "2M", src.toString(), dst.toString());
        Process two = worker("two", "restart", "--bwlimit", "2M", src.toString(), dst.toString());
        awaitSynced("one", 8, one);
        pg.stop();
        try {
            assertThat(exitOf(one, "one")).as(output("one")).isEqualTo(4);
            assertThat(exitOf(two, "two")).as(output("two")).isEqualTo(4);
            assertThat(output("one")).contains("127.0.0.1:" + pg.port());
            Trees.assertNoTemps(dst);
        } finally {
            pg.restart();
        }
        Process again = worker("again", "restart", src.toString(), dst.toString());
        assertThat(exitOf(again, "again")).as(output("again")).isZero();
        assertThat(Trees.files(dst)).isEqualTo(source);
        Trees.assertNoTemps(dst);
    }

    @Test
    void anUnreachableDatabaseIsExit4NamingItAndNothingIsTouched() throws Exception {
        Path src = Files.createDirectories(work.resolve("src"));
        Files.writeString(src.resolve("a"), "a");
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        ProcessBuilder pb = DuplexProcess.jar("--db", "postgresql://127.0.0.1:" + closed + "/none", src.toString(),
                work.resolve("dst").toString());
        pb.environment().putAll(pg.env());
        pb.environment().put("XDG_STATE_HOME", work.resolve("state").toString());
        DuplexProcess.Result r = DuplexProcess.finish(pb.start(), TIMEOUT);
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
        assertThat(r.err()).contains("postgresql://127.0.0.1:" + closed + "/none").contains("from host ")
                .contains("refused");
        assertThat(work.resolve("dst")).doesNotExist();
    }

    @Test
    void theDatabaseOfAnotherJobIsAUsageError() throws Exception {
        pg.createDatabase("other");
        Path src = work.resolve("src");
        tree(src, 3, 1);
        Process first = worker("first", "other", src.toString(), work.resolve("dst").toString());
        assertThat(exitOf(first, "first")).as(output("first")).isZero();
        Process second = worker("second", "other", src.toString(), work.resolve("elsewhere").toString());
        assertThat(exitOf(second, "second")).isEqualTo(2);
        assertThat(output("second")).contains("belongs to another job");
    }

    private DuplexProcess.Result run(String... args) throws Exception {
        ProcessBuilder pb = DuplexProcess.jar(args);
        pb.environment().putAll(pg.env());
        return DuplexProcess.finish(pb.start(), TIMEOUT);
    }
}
