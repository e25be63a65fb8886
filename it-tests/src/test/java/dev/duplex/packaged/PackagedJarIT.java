package dev.duplex.packaged;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged tool, run as a separate process: what users, cron and CI scripts see. */
class PackagedJarIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00.5Z");

    @TempDir
    Path tmp;

    @BeforeAll
    static void jarIsBuilt() {
        assertThat(DuplexProcess.JAR).as("run 'mvn -B verify' from the root: it packages app first").exists();
    }

    private Path tree(String name, Map<String, byte[]> files) throws IOException {
        Path root = tmp.resolve(name);
        Files.createDirectories(root);
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Path p = root.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, f.getValue());
            Files.setLastModifiedTime(p, FileTime.from(T0));
        }
        return root;
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString(), java.util.Arrays.hashCode(Files.readAllBytes(p)) + "@"
                        + Files.getLastModifiedTime(p).toInstant());
            }
        }
        return out;
    }

    @Test
    void syncsATreeAndASecondRunCopiesNothing() throws Exception {
        Path src = tree("src", Map.of("a/b/c.txt", "c".getBytes(StandardCharsets.UTF_8), "big.bin",
                random(6 * 1024 * 1024, 1), "zero.bin", new byte[0]));
        Path dst = tmp.resolve("dst");
        Path db = tmp.resolve("job.db");
        DuplexProcess.Result r = DuplexProcess.run(TIMEOUT, "--db", db.toString(), src.toString(), dst.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("scan done: 3 files").contains("copied 3 files");
        assertThat(snapshot(dst)).isEqualTo(snapshot(src));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM files WHERE status='synced' "
                     + "AND length(hash)=64")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(3);
        }
        DuplexProcess.Result again = DuplexProcess.run(TIMEOUT, "--db", db.toString(), src.toString(), dst.toString());
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).contains("copied 0 files").contains("3 up to date");
    }

    @Test
    void badInputExitsWith2WithOneLineAndCreatesNothing() throws Exception {
        Path src = tree("src", Map.of("f", new byte[] {1}));
        Path dst = tmp.resolve("dst");
        DuplexProcess.Result r = DuplexProcess.run(TIMEOUT, "--db", tmp.resolve("j.db").toString(), "--bwlimit",
                "fast", src.toString(), dst.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("duplex: Invalid value for option '--bwlimit': 'fast' is not a rate");
        assertThat(dst).doesNotExist();
        assertThat(tmp.resolve("j.db")).doesNotExist();
    }

    @Test
    void blockBuffersThatDoNotFitTheJvmsDirectMemoryAreRefusedAtOnceAndFitWhenJavaIsGivenMore() throws Exception {
        Path src = tree("src", Map.of("big.bin", random(3 * 1024 * 1024, 7)));
        Path dst = tmp.resolve("dst");
        // 32M blocks x (20 + 2 x 4) = 896 MiB of buffers, more than a 256 MiB heap's default direct memory
        String[] args = {"-jar", DuplexProcess.JAR.toString(), "--db", tmp.resolve("j.db").toString(),
            "--block-size", "32M", src.toString(), dst.toString()};
        DuplexProcess.Result refused = DuplexProcess.finish(java("-Xmx256m", args).start(), TIMEOUT);
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.err()).startsWith("duplex: --block-size 32.0 MiB with --queue-capacity 20 and "
                + "--transfers 4 needs up to ").contains("DUPLEX_JAVA_OPTS=-XX:MaxDirectMemorySize=1g");
        assertThat(dst).doesNotExist();
        assertThat(tmp.resolve("j.db")).doesNotExist();

        DuplexProcess.Result ran = DuplexProcess.finish(
                java("-Xmx256m", concat("-XX:MaxDirectMemorySize=1g", args)).start(), TIMEOUT);
        assertThat(ran.exitCode()).as(ran.toString()).isZero();
        assertThat(dst.resolve("big.bin")).hasSameBinaryContentAs(src.resolve("big.bin"));
    }

    @Test
    void anExplicitMaxDirectMemorySizeBelowTheHeapIsTheLimitChecked() throws Exception {
        Path src = tree("src", Map.of("f.bin", random(1024 * 1024, 8)));
        Path dst = tmp.resolve("dst");
        DuplexProcess.Result refused = DuplexProcess.finish(java("-Xmx1g", "-XX:MaxDirectMemorySize=64m", "-jar",
                DuplexProcess.JAR.toString(), "--db", tmp.resolve("j.db").toString(), "--block-size", "16M",
                src.toString(), dst.toString()).start(), TIMEOUT);
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.err()).contains("more than the 64.0 MiB of direct memory");
        assertThat(dst).doesNotExist();
    }

    @Test
    void underABandwidthLimitBlocksAreCutToTheLimitsChunkSoLargeBlockSizesFit() throws Exception {
        Path src = tree("src", Map.of("f.bin", random(1024 * 1024, 9)));
        Path dst = tmp.resolve("dst");
        // 32M blocks would not fit 256 MiB, but under --bwlimit 50M a block buffer holds 1 MiB
        DuplexProcess.Result ran = DuplexProcess.finish(java("-Xmx256m", "-jar", DuplexProcess.JAR.toString(),
                "--db", tmp.resolve("j.db").toString(), "--block-size", "32M", "--bwlimit", "50M",
                src.toString(), dst.toString()).start(), TIMEOUT);
        assertThat(ran.exitCode()).as(ran.toString()).isZero();
        assertThat(dst.resolve("f.bin")).hasSameBinaryContentAs(src.resolve("f.bin"));
    }

    private static ProcessBuilder java(String first, String... rest) {
        List<String> command = new java.util.ArrayList<>(List.of(DuplexProcess.javaBinary(), first));
        command.addAll(List.of(rest));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("LC_ALL", "C.UTF-8");
        return pb;
    }

    private static String[] concat(String first, String... rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    @Test
    void aMissingSourceExitsWith4() throws Exception {
        DuplexProcess.Result r = DuplexProcess.run(TIMEOUT, "--db", tmp.resolve("j.db").toString(),
                tmp.resolve("nope").toString(), tmp.resolve("dst").toString());
        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(r.err()).contains("does not exist (is the share mounted?)");
    }

    @Test
    void aSecondRunOnTheSameJobExitsWith3WhileTheFirstHoldsTheLock() throws Exception {
        Path src = tree("src", Map.of("big.bin", random(8 * 1024 * 1024, 2)));
        String db = tmp.resolve("job.db").toString();
        Process first = DuplexProcess.jar("--db", db, "--bwlimit", "1M", "--progress-interval", "1h",
                src.toString(), tmp.resolve("dst").toString()).redirectErrorStream(true).start();
        try {
            DuplexProcess.awaitLine(first, "scan done"); // the lock is held from start to end
            DuplexProcess.Result second = DuplexProcess.run(TIMEOUT, "--db", db, src.toString(),
                    tmp.resolve("dst").toString());
            assertThat(second.exitCode()).as(second.toString()).isEqualTo(3);
            assertThat(second.err()).contains("another duplex run is using the job db " + db);
        } finally {
            first.destroyForcibly().waitFor();
        }
    }

    @Test
    void aKilledRunIsResumedByTheNextWithoutRescanAndLeavesNoTempFiles() throws Exception {
        Path src = tree("src", Map.of("a.bin", random(8 << 20, 3), "b.bin", random(8 << 20, 4),
                "c.bin", random(8 << 20, 5)));
        Path dst = tmp.resolve("dst");
        String db = tmp.resolve("job.db").toString();
        Process first = DuplexProcess.jar("--db", db, "--bwlimit", "4M", "--progress-interval", "1s",
                src.toString(), dst.toString()).start();
        DuplexProcess.awaitLine(first, "copying"); // mid-transfer
        first.destroyForcibly().waitFor();
        DuplexProcess.Result r = DuplexProcess.run(TIMEOUT, "--db", db, src.toString(), dst.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("resuming").doesNotContain("scanning");
        assertThat(snapshot(dst)).isEqualTo(snapshot(src));
        try (Stream<Path> s = Files.walk(dst)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".duplex-tmp"));
        }
    }

    @Test
    void sigtermStopsCleanlyWithExit143AndTheNextRunCompletes() throws Exception {
        assertStopsCleanly("TERM", 143);
    }

    @Test
    void sigintStopsCleanlyWithExit130() throws Exception {
        assertStopsCleanly("INT", 130);
    }

    private void assertStopsCleanly(String signal, int exitCode) throws Exception {
        Path src = tree("src", Map.of("a.bin", random(16 << 20, 7), "b.bin", random(1 << 20, 8)));
        Path dst = tmp.resolve("dst");
        String db = tmp.resolve("job.db").toString();
        Process p = DuplexProcess.jar("--db", db, "--bwlimit", "4M", "--progress-interval", "1s", src.toString(),
                dst.toString()).start();
        String before = DuplexProcess.awaitLine(p, "copying"); // mid-file
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start();
        assertThat(kill.waitFor()).isZero();
        DuplexProcess.Result stopped = DuplexProcess.finish(p, TIMEOUT);
        assertThat(stopped.exitCode()).as(before + stopped).isEqualTo(exitCode);
        assertThat(stopped.out()).contains("interrupted: the run did not finish");
        try (Stream<Path> s = Files.walk(dst)) {
            assertThat(s.map(f -> f.getFileName().toString())).noneMatch(n -> n.endsWith(".duplex-tmp"));
        }
        DuplexProcess.Result again = DuplexProcess.run(TIMEOUT, "--db", db, src.toString(), dst.toString());
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(snapshot(dst)).isEqualTo(snapshot(src));
    }

    @Test
    void sixteenMibAtFourMibPerSecondTakesAtLeastFourSecondsAndTheToolCountsNoFasterRate() throws Exception {
        // Bounded only where load cannot push it over: a busy machine makes the copy slower, never faster than the
        // limit, so the wall time is checked from below and the rate from the tool's own accounting from above.
        Path src = tree("src", Map.of("f.bin", random(16 << 20, 6)));
        Path summary = tmp.resolve("summary.json");
        long start = System.nanoTime();
        DuplexProcess.Result r = DuplexProcess.run(TIMEOUT, "--db", tmp.resolve("j.db").toString(), "--bwlimit", "4M",
                "--json-summary", summary.toString(), src.toString(), tmp.resolve("dst").toString());
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(seconds).isGreaterThan(3.5);
        java.util.regex.Matcher rate = java.util.regex.Pattern.compile("\"average_bytes_per_second\":(\\d+)")
                .matcher(Files.readString(summary));
        assertThat(rate.find()).isTrue();
        assertThat(Long.parseLong(rate.group(1))).isLessThanOrEqualTo(4L << 20);
    }


    @Test
    void theLauncherCopiesNamesInAnyScriptFromCronsBareEnvironment() throws Exception {
        Path launcher = DuplexProcess.ROOT.resolve("duplex");
        assumeTrue(Files.isExecutable(launcher), "the ./duplex launcher is not in " + DuplexProcess.ROOT);
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/env")), "needs /usr/bin/env");
        String[] names = {"日本語.txt", "Ελληνικά/файл.txt", "emoji 😀.txt", "new\nline.txt", "e\u0301-nfd.txt",
            "e\u00e9-nfc.txt", "with space/and 'quote'.txt"};
        Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            files.put(names[i], ("content " + i).getBytes(StandardCharsets.UTF_8));
        }
        Path src = tree("src", files);
        Path dst = tmp.resolve("dst");
        Path home = Files.createDirectories(tmp.resolve("home"));
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/env", "-i", "PATH=/usr/bin:/bin", "HOME=" + home,
                launcher.toString(), "--db", tmp.resolve("j.db").toString(), src.toString(), dst.toString());
        DuplexProcess.Result r = DuplexProcess.finish(pb.start(), Duration.ofMinutes(5));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.err()).doesNotContain("file names are decoded as");
        assertThat(snapshot(dst)).isEqualTo(snapshot(src)).hasSize(names.length);
    }
}
