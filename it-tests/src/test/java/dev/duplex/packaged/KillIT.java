package dev.duplex.packaged;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.packaged.Trees.Version;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SIGKILL at seeded moments of scan, transfer, commit and mirror cleanup, with one and two destinations (and
 * SIGTERM at a few). After every kill, every
 * file under a final name in a destination has the source's bytes and mtime (or is the old version it replaced),
 * every row the db records as synced matches the source on every destination, a dual-target file on one side
 * only is recorded as prepared with a complete temp file on the other side, the db passes integrity_check and the
 * audit log has only whole lines (the last may be torn). Then the next run must exit 0 with the destinations equal
 * to the source, no temp files, every row synced with the source's hash.
 *
 * <p>Moments: scan kills come a seeded delay after the run prints "scanning"; transfer and commit kills come at the
 * seeded k-th temp file created, or k-th final name renamed into place, in DEST (seen through inotify). Some rounds
 * kill the following run too (during its recovery or resume) before letting one finish. {@code -Dduplex.kill.seed}
 * replays other moments; each round prints what it did.
 */
class KillIT {
    private static final long SEED = Long.getLong("duplex.kill.seed", 20261123L);
    private static final int ROUNDS = Integer.getInteger("duplex.kill.rounds", 24);
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Instant T0 = Instant.parse("2025-06-01T10:00:00.123456789Z");
    private static final Instant OLD = Instant.parse("2024-02-02T02:02:02Z");

    private static Path work;
    private static Path src;
    private static final Map<String, Version> SOURCE = new TreeMap<>();
    private static final List<String> SOURCE_DIRS = new ArrayList<>();
    private static final Map<String, String> LINKS = new TreeMap<>();
    private static final List<String> REPORT = new ArrayList<>();

    /** When the first kill comes. */
    enum Moment { SCAN, TRANSFER, COMMIT, CLEANUP }

    /**
     * One round: where to kill, with which options. {@code at} is a delay in ms (scan) or the k-th destination
     * event; {@code again} > 0 kills the next run too, at its again-th final name.
     */
    record Round(int no, Moment moment, boolean dual, int transfers, String blockSize, boolean verify,
                 boolean deleteExtras, boolean sidecar, int at, int again) {
        @Override
        public String toString() {
            return "#" + no + " " + moment + "@" + at + (dual ? " dual" : " single") + " transfers=" + transfers
                    + " block=" + blockSize + (verify ? " verify" : "") + (deleteExtras ? " delete-extras" : "")
                    + (sidecar ? " sidecar" : "") + (again > 0 ? " then kill the next run @" + again : "");
        }
    }

    @BeforeAll
    static void sourceTree() throws IOException {
        assertThat(DuplexProcess.JAR).as("run 'mvn -B verify' from the root: it packages app first").exists();
        work = Files.createTempDirectory("duplex-kill-");
        src = work.resolve("src");
        Random r = new Random(SEED);
        for (int d = 0; d < 20; d++) {
            for (int f = 0; f < 20; f++) {
                put("many/m" + d + "/t" + f + ".txt", bytes(r, r.nextInt(2048)), T0.plusSeconds(d * 50L + f));
            }
        }
        for (int i = 0; i < 120; i++) {
            put("d" + (i % 20) + (i % 3 == 0 ? "/sub/deeper" : "") + "/s" + i + ".bin",
                    bytes(r, 2048 + r.nextInt(256 * 1024)), T0.plusMillis(i * 7L));
        }
        for (int i = 0; i < 12; i++) {
            put("medium/m" + i + ".bin", bytes(r, (512 << 10) + r.nextInt(5 << 19)), T0.plusSeconds(i));
        }
        put("large/large.bin", bytes(r, 16 << 20), T0);
        for (int i = 0; i < 3; i++) {
            put("zero/empty" + i, new byte[0], T0.plusSeconds(3600 + i));
        }
        Files.createDirectories(src.resolve("empty/dir/nested"));
        Files.createDirectories(src.resolve("zero/also-empty"));
        for (int i = 0; i < 6; i++) {
            Path link = src.resolve("links/l" + i);
            Files.createDirectories(link.getParent());
            String target = i % 2 == 0 ? "../d" + i + "/s" + i + ".bin" : "../nowhere/" + i; // some dangle
            Files.createSymbolicLink(link, Path.of(target));
            LINKS.put("links/l" + i, target);
        }
        SOURCE_DIRS.addAll(Trees.dirs(src));
    }

    private static void put(String rel, byte[] content, Instant mtime) {
        Trees.write(src.resolve(rel), content, mtime);
        SOURCE.put(rel, Trees.version(src.resolve(rel)));
    }

    private static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    @AfterAll
    static void cleanUpAndReport() throws IOException {
        System.out.println("KillIT seed " + SEED + ":\n" + String.join("\n", REPORT));
        if (work != null) {
            try (Stream<Path> s = Files.walk(work)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static Stream<Round> rounds() {
        Random r = new Random(SEED ^ 0x5DEECE66DL);
        List<Round> rounds = new ArrayList<>();
        int files = 400 + 120 + 12 + 1 + 3;
        for (int i = 0; i < ROUNDS; i++) {
            Moment m = Moment.values()[i % 3];
            int at = m == Moment.SCAN ? r.nextInt(100) : 1 + r.nextInt(files);
            rounds.add(new Round(i + 1, m, r.nextBoolean(), r.nextBoolean() ? 4 : 1,
                    List.of("64K", "1M", "5M").get(r.nextInt(3)), r.nextInt(4) == 0, r.nextBoolean(), i % 4 == 1,
                    at, i % 4 == 3 ? 1 + r.nextInt(30) : 0));
        }
        for (int i = 0; i < 4; i++) { // kills during mirror cleanup: at the k-th of the 20 extras deleted
            rounds.add(new Round(ROUNDS + i + 1, Moment.CLEANUP, i % 2 == 1, 4, "1M", false, true, false,
                    1 + r.nextInt(20), 0));
        }
        return rounds.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rounds")
    void aKillAtAnyMomentLosesNothingAndTheNextRunCompletes(Round round) throws Exception {
        Path tmp = Files.createDirectories(work.resolve("round" + round.no()));
        Job job = new Job(tmp, round);
        job.prepareDestinations(new Random(SEED + round.no()));

        StringBuilder log = new StringBuilder(round.toString());
        try (RunningDuplex first = RunningDuplex.start(job.args())) {
            log.append(": ").append(killFirst(round, job, first));
            first.finish(TIMEOUT);
        }
        job.assertNothingHalfDone("after the kill");
        if (round.again() > 0) {
            try (RunningDuplex second = RunningDuplex.start(job.args())) {
                int reached = second.killAtEntry(job.dests, job::isFinalName, round.again());
                log.append("; second run killed at final name ").append(reached)
                        .append(reached < round.again() ? " (it finished first)" : "");
                second.finish(TIMEOUT);
            }
            job.assertNothingHalfDone("after the second kill");
        }
        long start = System.nanoTime();
        DuplexProcess.Result done = DuplexProcess.run(TIMEOUT, job.args().toArray(String[]::new));
        assertThat(done.exitCode()).as(log + "\n" + done).isZero();
        log.append("; next run completed in ").append((System.nanoTime() - start) / 1_000_000).append(" ms");
        job.assertComplete();
        synchronized (REPORT) {
            REPORT.add(log.toString());
        }
        try (Stream<Path> s = Files.walk(tmp)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static Stream<Round> termRounds() {
        Random r = new Random(SEED ^ 0x7E57L);
        List<Round> rounds = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Moment m = Moment.values()[i % 3];
            rounds.add(new Round(100 + i, m, i % 2 == 1, 1 + r.nextInt(4), "1M", false, false, false,
                    m == Moment.SCAN ? r.nextInt(100) : 1 + r.nextInt(400), 0));
        }
        return rounds.stream();
    }

    /**
     * SIGTERM at seeded moments: the run stops within its grace period with exit 143 (or finishes first with 0),
     * prints its summary, and leaves no temp file and nothing half done; the next run completes.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("termRounds")
    void aSigtermAtAnyMomentStopsCleanlyAndTheNextRunCompletes(Round round) throws Exception {
        Path tmp = Files.createDirectories(work.resolve("term" + round.no()));
        Job job = new Job(tmp, round);
        job.prepareDestinations(new Random(SEED + round.no()));
        DuplexProcess.Result stopped;
        String moment;
        try (RunningDuplex run = RunningDuplex.start(job.args())) {
            if (round.moment() == Moment.SCAN) {
                run.line("scanning").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                run.process().waitFor(round.at(), TimeUnit.MILLISECONDS); // the seeded moment under test
                run.terminate();
                moment = round.at() + " ms after 'scanning'";
            } else {
                int reached = run.stopAtEntry(job.dests.subList(0, 1), round.moment() == Moment.TRANSFER
                        ? Trees::isTemp : job::isFinalName, round.at(), run::terminate);
                moment = (round.moment() == Moment.TRANSFER ? "temp file " : "final name ") + reached;
            }
            stopped = run.finish(Duration.ofSeconds(40)); // the stop's grace period is 30 s
        }
        assertThat(stopped.exitCode()).as(round + " stopped at " + moment + "\n" + stopped).isIn(0, 143);
        if (stopped.exitCode() == 143) {
            assertThat(stopped.out()).contains("interrupted: the run did not finish");
        }
        for (Path d : job.dests) {
            Trees.assertNoTemps(d);
        }
        job.assertNothingHalfDone("after SIGTERM");
        DuplexProcess.Result done = DuplexProcess.run(TIMEOUT, job.args().toArray(String[]::new));
        assertThat(done.exitCode()).as(round + "\n" + done).isZero();
        job.assertComplete();
        synchronized (REPORT) {
            REPORT.add(round + ": SIGTERM at " + moment + ", exit " + stopped.exitCode());
        }
    }

    private static String killFirst(Round round, Job job, RunningDuplex run) throws Exception {
        switch (round.moment()) {
            case SCAN -> {
                run.line("scanning").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                // the seeded delay is the moment under test, not a synchronisation: any moment must be safe
                boolean ended = run.process().waitFor(round.at(), TimeUnit.MILLISECONDS);
                run.kill();
                boolean scanDone = run.outLines().stream().anyMatch(l -> l.startsWith("scan done"));
                return ended ? "finished before the kill" : "killed " + round.at() + " ms after 'scanning' ("
                        + (scanDone ? "scan had finished" : "mid-scan") + ")";
            }
            case TRANSFER -> {
                int reached = run.killAtEntry(job.dests.subList(0, 1), Trees::isTemp, round.at());
                return "killed at temp file " + reached + (reached < round.at() ? " (it finished first)" : "");
            }
            case COMMIT -> {
                int reached = run.killAtEntry(job.dests.subList(0, 1), job::isFinalName, round.at());
                return "killed at final name " + reached + (reached < round.at() ? " (it finished first)" : "");
            }
            case CLEANUP -> {
                int reached = run.killAtRemoval(job.dests.subList(0, 1), job::isExtra, round.at());
                return "killed at extra deleted " + reached + (reached < round.at() ? " (it finished first)" : "");
            }
            default -> throw new IllegalStateException();
        }
    }

    /** One job: its destinations as they were before the first run, and the checks. */
    private static final class Job {
        final Round round;
        final Path db;
        final Path audit;
        final List<Path> dests = new ArrayList<>();
        final Map<String, Version> old = new LinkedHashMap<>();
        final Map<String, Version> extras = new LinkedHashMap<>();
        final java.util.Set<String> oneSided = new java.util.HashSet<>();

        Job(Path tmp, Round round) {
            this.round = round;
            this.db = tmp.resolve("job.db");
            this.audit = tmp.resolve("job.audit.jsonl");
            dests.add(tmp.resolve("a"));
            if (round.dual()) {
                dests.add(tmp.resolve("b"));
            }
        }

        List<String> args() {
            List<String> a = new ArrayList<>(List.of("--db", db.toString(), "--transfers",
                    Integer.toString(round.transfers()), "--block-size", round.blockSize(), "--progress-interval",
                    "1h"));
            if (round.verify()) {
                a.add("--verify");
            }
            if (round.deleteExtras()) {
                a.add("--delete-extras");
            }
            if (round.sidecar()) {
                a.add("--sidecar");
            }
            a.add(src.toString());
            dests.forEach(d -> a.add(d.toString()));
            return a;
        }

        /**
         * Every destination starts with the source's directories (so they can be watched), an older version of
         * one file in five, and a few files the source does not have. Both destinations alike: a file is needed by
         * both or by neither.
         */
        void prepareDestinations(Random r) throws IOException {
            List<String> names = new ArrayList<>(SOURCE.keySet());
            for (String rel : names) {
                if (r.nextInt(5) == 0) {
                    byte[] b = new byte[r.nextInt(4096)];
                    r.nextBytes(b);
                    for (Path d : dests) {
                        Trees.write(d.resolve(rel), b, OLD);
                    }
                    old.put(rel, Trees.version(dests.get(0).resolve(rel)));
                }
            }
            if (dests.size() == 2) { // one file in eight is already current on DEST only: copied to DEST2 alone
                for (String rel : names) {
                    if (!old.containsKey(rel) && r.nextInt(8) == 0) {
                        Path a = dests.get(0).resolve(rel);
                        Files.createDirectories(a.getParent());
                        Files.copy(src.resolve(rel), a); // then the mtime to the ns (COPY_ATTRIBUTES keeps µs)
                        Files.setLastModifiedTime(a, Files.getLastModifiedTime(src.resolve(rel)));
                        oneSided.add(rel);
                    }
                }
            }
            for (int i = 0; i < 20; i++) {
                String rel = (i % 2 == 0 ? "d" + i + "/" : "gone/") + "extra" + i + ".txt";
                for (Path d : dests) {
                    Trees.write(d.resolve(rel), ("extra " + i).getBytes(), OLD);
                }
                extras.put(rel, Trees.version(dests.get(0).resolve(rel)));
            }
            for (Path d : dests) {
                for (String dir : SOURCE_DIRS) {
                    Files.createDirectories(d.resolve(dir));
                }
            }
        }

        boolean isExtra(Path p) {
            return extras.containsKey(dests.stream().filter(p::startsWith).findFirst()
                    .map(d -> d.relativize(p).toString()).orElse(""));
        }

        boolean isFinalName(Path p) {
            return !Trees.isTemp(p) && SOURCE.containsKey(dests.stream().filter(p::startsWith).findFirst()
                    .map(d -> d.relativize(p).toString()).orElse(""));
        }

        /** What must hold at any moment: nothing partial or wrong under a final name, a sound db and log. */
        void assertNothingHalfDone(String when) {
            List<Map<String, Version>> seen = new ArrayList<>();
            for (Path d : dests) {
                Map<String, Version> files = Trees.files(d);
                seen.add(files);
                files.forEach((rel, v) -> {
                    if (isSidecar(rel)) {
                        assertSidecar(d, rel, when);
                        return;
                    }
                    boolean ok = v.equals(SOURCE.get(rel)) || v.equals(old.get(rel)) || v.equals(extras.get(rel));
                    assertThat(ok).as(when + ": " + d.resolve(rel) + " is " + v + ", neither the source's "
                            + SOURCE.get(rel) + " nor what the destination had").isTrue();
                });
            }
            Map<String, String> status = new TreeMap<>();
            if (Files.exists(db)) {
                Trees.assertDbIntact(db);
                for (List<String> row : Trees.query(db, "SELECT source_path, status, hash FROM files")) {
                    String rel = src.relativize(Path.of(row.get(0))).toString();
                    status.put(rel, row.get(1));
                    if (row.get(1).equals("synced")) {
                        assertThat(row.get(2)).as(when + ": db hash of synced " + rel)
                                .isEqualTo(SOURCE.get(rel).sha256());
                        for (Map<String, Version> files : seen) {
                            assertThat(files.get(rel)).as(when + ": " + rel + " is synced in the db")
                                    .isEqualTo(SOURCE.get(rel));
                        }
                    }
                }
            }
            if (dests.size() == 2) {
                for (String rel : SOURCE.keySet()) {
                    boolean onA = SOURCE.get(rel).equals(seen.get(0).get(rel));
                    boolean onB = SOURCE.get(rel).equals(seen.get(1).get(rel));
                    if (onA != onB && !oneSided.contains(rel)) {
                        Path other = dests.get(onA ? 1 : 0).resolve(rel);
                        assertThat(status.get(rel)).as(when + ": " + rel + " is final on one side only").isEqualTo(
                                "prepared");
                        assertThat(Trees.tempsOf(other)).as(when + ": the other side's temp of " + rel).singleElement()
                                .satisfies(t -> assertThat(Trees.sha256(t)).isEqualTo(SOURCE.get(rel).sha256()));
                    }
                }
            }
            for (Path d : dests) {
                LINKS.forEach((rel, target) -> {
                    Path link = d.resolve(rel);
                    if (Files.isSymbolicLink(link)) {
                        assertThat(readLink(link)).as(when + ": " + link).isEqualTo(target);
                    }
                });
            }
            for (String line : Trees.auditLines(audit, true)) {
                if (line.contains("\"event\":\"synced\"") && !line.contains("\"symlink\":")) {
                    String rel = src.relativize(Path.of(Trees.field(line, "source"))).toString();
                    assertThat(Trees.field(line, "hash")).as(when + ": audit hash of " + rel)
                            .isEqualTo(SOURCE.get(rel).sha256());
                }
            }
        }

        private boolean isSidecar(String rel) {
            return round.sidecar() && rel.endsWith(".sha256")
                    && SOURCE.containsKey(rel.substring(0, rel.length() - ".sha256".length()));
        }

        /** A sidecar is whole and names its file with the source's hash (it is written after its file). */
        private void assertSidecar(Path dest, String rel, String when) {
            String file = rel.substring(0, rel.length() - ".sha256".length());
            Path sidecar = dest.resolve(rel);
            try {
                assertThat(Files.readString(sidecar)).as(when + ": " + sidecar).isEqualTo(
                        SOURCE.get(file).sha256() + "  " + Path.of(file).getFileName() + "\n");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        private static String readLink(Path link) {
            try {
                return Files.readSymbolicLink(link).toString();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        void assertComplete() {
            Map<String, Version> expected = new TreeMap<>(SOURCE);
            if (!round.deleteExtras()) {
                expected.putAll(extras);
            }
            for (Path d : dests) {
                Map<String, Version> files = new TreeMap<>(Trees.files(d));
                if (round.sidecar()) {
                    for (String rel : SOURCE.keySet()) {
                        if (!(d.equals(dests.get(0)) && oneSided.contains(rel))) { // sidecars go with copies
                            assertSidecar(d, rel + ".sha256", "after the run");
                        }
                    }
                    files.keySet().removeIf(this::isSidecar);
                }
                assertThat(files).as("files in " + d).isEqualTo(expected);
                LINKS.forEach((rel, target) -> assertThat(readLink(d.resolve(rel))).as(d + "/" + rel)
                        .isEqualTo(target));
                assertThat(Trees.dirs(d)).as("directories in " + d).containsAll(SOURCE_DIRS);
                Trees.assertNoTemps(d);
            }
            Trees.assertDbIntact(db);
            List<List<String>> rows = Trees.query(db, "SELECT source_path, status, hash FROM files");
            assertThat(rows).hasSize(SOURCE.size()).allSatisfy(row -> {
                assertThat(row.get(1)).as(row.get(0)).isEqualTo("synced");
                assertThat(row.get(2)).as(row.get(0))
                        .isEqualTo(SOURCE.get(src.relativize(Path.of(row.get(0))).toString()).sha256());
            });
            Trees.auditLines(audit, false);
        }
    }
}
