package dev.duplex.packaged;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code duplex bisync} killed with SIGKILL at seeded moments (after the k-th action it reports with -v), then run
 * normally: both sides are equal, every file version that existed before the killed run still exists on some side
 * (the trash counts), no temp file is left, and one more run changes nothing. Every version carries a unique id in
 * its first line. {@code -Dduplex.bisync.kill.seed} replays other moments.
 */
class BisyncKillIT {
    private static final long SEED = Long.getLong("duplex.bisync.kill.seed", 20261202L);
    private static final int ROUNDS = Integer.getInteger("duplex.bisync.kill.rounds", 8);
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");

    private static Path work;
    private static Path left;
    private static Path right;
    private static int ids;
    private static int clock;

    @BeforeAll
    static void trees() throws Exception {
        assertThat(DuplexProcess.JAR).as("run 'mvn -B verify' from the root: it packages app first").exists();
        work = Files.createTempDirectory("duplex-bisync-kill-");
        left = Files.createDirectories(work.resolve("left"));
        right = Files.createDirectories(work.resolve("right"));
        Random r = new Random(SEED);
        for (int i = 0; i < 300; i++) {
            write((i % 3 == 0 ? right : left).resolve("d" + (i % 12) + "/f" + i + ".txt"), r.nextInt(3000));
        }
        for (int i = 0; i < 6; i++) {
            write(left.resolve("big/b" + i + ".bin"), 3_000_000);
        }
        DuplexProcess.Result first = DuplexProcess.run(TIMEOUT, args());
        assertThat(first.exitCode()).as(first.toString()).isZero();
    }

    @AfterAll
    static void cleanUp() throws IOException {
        deleteTree(work);
    }

    private static String[] args(String... extra) {
        List<String> a = new ArrayList<>(List.of("bisync", "--db", work.resolve("job.db").toString(),
                "--soft-delete-max", "1G", "--force", "--conflict-changed", "keep-both"));
        a.addAll(List.of(extra));
        a.add(left.toString());
        a.add(right.toString());
        return a.toArray(String[]::new);
    }

    @Test
    void aKilledRunFollowedByANormalOneLosesNothing() throws Exception {
        Random r = new Random(SEED + 1);
        List<String> report = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            mutate(r);
            Set<String> before = versions();
            int killAfter = 1 + r.nextInt(40);
            Process p = DuplexProcess.jar(args("-v")).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            int seen = 0;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; seen < killAfter && (line = out.readLine()) != null; ) {
                    if (!line.startsWith("duplex bisync:")) {
                        seen++;
                    }
                }
                p.destroyForcibly();                      // SIGKILL
                p.waitFor();
            }
            report.add("round " + round + ": killed after " + seen + " actions (aimed at " + killAfter + ")");
            DuplexProcess.Result normal = DuplexProcess.run(TIMEOUT, args());
            assertThat(normal.exitCode()).as(String.join("\n", report) + "\n" + normal).isZero();
            assertThat(content(left)).as("both sides equal after " + report).isEqualTo(content(right));
            Set<String> lost = new HashSet<>(before);
            lost.removeAll(versions());
            assertThat(lost).as("versions lost: " + report).isEmpty();
            assertThat(temps()).as("temp files left").isEmpty();
            Map<String, String> l = snapshot(left);
            Map<String, String> rr = snapshot(right);
            DuplexProcess.Result again = DuplexProcess.run(TIMEOUT, args());
            assertThat(again.exitCode()).as(again.toString()).isZero();
            assertThat(snapshot(left)).isEqualTo(l);
            assertThat(snapshot(right)).isEqualTo(rr);
        }
        System.out.println(String.join("\n", report));
    }

    private static void mutate(Random r) throws IOException {
        for (int i = 0; i < 30; i++) {
            Path root = r.nextBoolean() ? left : right;
            List<Path> files = files(root);
            Path pick = files.isEmpty() ? null : files.get(r.nextInt(files.size()));
            switch (r.nextInt(7)) {
                case 0 -> write(root.resolve("n" + r.nextInt(4) + "/c" + r.nextInt(60) + ".txt"), r.nextInt(4000));
                case 1, 2 -> {
                    if (pick != null) {
                        write(pick, pick.toString().endsWith(".bin") ? 3_000_000 : r.nextInt(4000));
                    }
                }
                case 3 -> {
                    if (pick != null) {
                        Files.delete(pick);
                    }
                }
                case 4 -> {
                    if (pick != null) {
                        Path to = root.resolve("mv" + r.nextInt(3) + "/" + pick.getFileName());
                        if (!Files.exists(to)) {
                            Files.createDirectories(to.getParent());
                            Files.move(pick, to);
                        }
                    }
                }
                case 5 -> {
                    if (pick != null) {
                        Files.setLastModifiedTime(pick, FileTime.from(T0.plusSeconds(61L * ++clock)));
                    }
                }
                default -> {
                    if (pick != null) {                    // the same file edited on both sides: a conflict
                        Path other = (root == left ? right : left).resolve(root.relativize(pick).toString());
                        write(pick, r.nextInt(4000));
                        if (Files.exists(other)) {
                            write(other, r.nextInt(4000));
                        }
                    }
                }
            }
        }
    }

    private static void write(Path p, int size) throws IOException {
        Files.createDirectories(p.getParent());
        StringBuilder b = new StringBuilder(size + 16).append('v').append(++ids).append('\n');
        while (b.length() < size) {
            b.append((char) ('a' + (b.length() * 31 + ids) % 26));
        }
        Files.writeString(p, b, StandardCharsets.UTF_8);
        Files.setLastModifiedTime(p, FileTime.from(T0.plusSeconds(61L * ++clock)));
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .filter(p -> !root.relativize(p).toString().startsWith(".sync_trash"))
                    .filter(p -> !p.getFileName().toString().endsWith(".duplex-tmp")).sorted().toList();
        }
    }

    private static Set<String> versions() throws IOException {
        Set<String> out = new HashSet<>();
        for (Path root : List.of(left, right)) {
            try (Stream<Path> s = Files.walk(root)) {
                for (Path p : s.filter(q -> Files.isRegularFile(q, LinkOption.NOFOLLOW_LINKS))
                        .filter(q -> !q.getFileName().toString().endsWith(".duplex-tmp")).toList()) {
                    try (BufferedReader in = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
                        out.add(String.valueOf(in.readLine()));
                    }
                }
            }
        }
        return out;
    }

    private static List<Path> temps() throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path root : List.of(left, right)) {
            try (Stream<Path> s = Files.walk(root)) {
                s.filter(p -> p.getFileName().toString().endsWith(".duplex-tmp")).forEach(out::add);
            }
        }
        return out;
    }

    /** Path -> size@mtime (or dir), the trash included. */
    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(q -> !q.equals(root)).toList()) {
                out.put(root.relativize(p).toString(), Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "dir"
                        : Files.size(p) + "@" + Files.getLastModifiedTime(p).toInstant());
            }
        }
        return out;
    }

    private static Map<String, String> content(Path root) throws IOException {
        Map<String, String> all = snapshot(root);
        all.keySet().removeIf(k -> k.startsWith(".sync_trash"));
        return all;
    }

    private static void deleteTree(Path p) throws IOException {
        if (p == null || !Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
