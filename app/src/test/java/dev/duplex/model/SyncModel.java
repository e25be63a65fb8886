package dev.duplex.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * The model behind the property tests: a source tree changed at random between runs (files created, modified,
 * truncated, deleted, renamed; directories added, renamed, deleted) and synced by the real tool after every round.
 * After every run the destinations must equal the source (with --delete-extras), or hold the whole source plus only
 * things the source once had (without). The tool is run through a {@link Tool}: in-process (app) or as the
 * packaged jar (it-tests). Changes pick their targets by index at the moment they apply, so any generated sequence
 * is valid and shrinks well.
 */
public final class SyncModel {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final List<String> NAMES = List.of("a", "b.txt", "c d", "\u00e9", "e\u0301", "new\nline", "f");

    private SyncModel() {}

    /** Runs duplex with these arguments; the exit code and what it printed. */
    @FunctionalInterface
    public interface Tool {
        Outcome run(List<String> args);
    }

    public record Outcome(int exitCode, String out, String err) {}

    /** One change to the source tree. */
    public sealed interface Change permits Create, Modify, Truncate, Delete, Rename, AddDir, RenameDir, DeleteDir,
            Link {}

    public record Create(int dirPick, int namePick, int size, long seed) implements Change {}

    /** New content (possibly the same size) and a new mtime. */
    public record Modify(int pick, int size, long seed) implements Change {}

    public record Truncate(int pick, int keepPercent) implements Change {}

    public record Delete(int pick) implements Change {}

    /** Moves a file (keeping its mtime, as mv does) into a directory, under a name; may replace a file there. */
    public record Rename(int pick, int dirPick, int namePick) implements Change {}

    public record AddDir(int dirPick, int namePick) implements Change {}

    public record RenameDir(int dirPick, int namePick) implements Change {}

    public record DeleteDir(int dirPick) implements Change {}

    /**
     * Creates (or retargets) a symlink named {@code L<name>} (names of their own, so a link never takes the place of
     * a file or directory) to a relative target that may dangle.
     */
    public record Link(int dirPick, int namePick, int targetPick) implements Change {}

    /** A whole trial: the first tree, the rounds of changes (a run after each), and how the tool is run. */
    public record Scenario(List<Change> initial, List<List<Change>> rounds, boolean dual, boolean deleteExtras,
                           int transfers) {}

    public static Arbitrary<Change> changes() {
        Arbitrary<Integer> pick = Arbitraries.integers().between(0, 50);
        Arbitrary<Integer> name = Arbitraries.integers().between(0, NAMES.size() - 1);
        Arbitrary<Integer> size = Arbitraries.oneOf(Arbitraries.integers().between(0, 300),
                Arbitraries.integers().between(60_000, 70_000), Arbitraries.integers().between(200_000, 1_200_000));
        Arbitrary<Long> seed = Arbitraries.longs();
        return Arbitraries.oneOf(
                Combinators.combine(pick, name, size, seed).as(Create::new),
                Combinators.combine(pick, name, size, seed).as(Create::new),
                Combinators.combine(pick, size, seed).as(Modify::new),
                Combinators.combine(pick, Arbitraries.integers().between(0, 99)).as(Truncate::new),
                pick.map(Delete::new),
                Combinators.combine(pick, pick, name).as(Rename::new),
                Combinators.combine(pick, name).as(AddDir::new),
                Combinators.combine(pick, name).as(RenameDir::new),
                pick.map(DeleteDir::new),
                Combinators.combine(pick, name, pick).as(Link::new));
    }

    public static Arbitrary<Scenario> scenarios(int maxRounds) {
        Arbitrary<List<Change>> initial = changes().list().ofMinSize(0).ofMaxSize(12);
        Arbitrary<List<List<Change>>> rounds = changes().list().ofMinSize(1).ofMaxSize(5).list().ofMinSize(1)
                .ofMaxSize(maxRounds);
        return Combinators.combine(initial, rounds, Arbitraries.of(false, true), Arbitraries.of(false, true),
                Arbitraries.integers().between(1, 4)).as(Scenario::new);
    }

    /** Plays the scenario in {@code work} (an empty directory): a run after the first tree and after each round. */
    public static void play(Scenario s, Path work, Tool tool) {
        Trial t = new Trial(s, work, tool);
        t.apply(s.initial());
        t.syncAndCheck("the first run");
        for (int round = 0; round < s.rounds().size(); round++) {
            t.apply(s.rounds().get(round));
            t.syncAndCheck("the run after round " + (round + 1));
        }
    }

    private static final class Trial {
        final Scenario scenario;
        final Path src;
        final List<Path> dests;
        final Path db;
        final Set<String> everInSource = new HashSet<>();
        final Tool tool;
        long clock;

        Trial(Scenario scenario, Path work, Tool tool) {
            this.scenario = scenario;
            this.src = work.resolve("src");
            this.dests = scenario.dual() ? List.of(work.resolve("a"), work.resolve("b")) : List.of(work.resolve("a"));
            this.db = work.resolve("job.db");
            this.tool = tool;
            mkdirs(src);
        }

        void apply(List<Change> changes) {
            for (Change c : changes) {
                applyOne(c);
            }
            everInSource.addAll(entries(src).keySet());
        }

        private void applyOne(Change c) {
            List<Path> files = list(true);
            List<Path> dirs = list(false); // includes the root
            try {
                if (c instanceof Create x) {
                    write(pick(dirs, x.dirPick()).resolve(NAMES.get(x.namePick())), x.size(), x.seed());
                } else if (c instanceof Modify x && !files.isEmpty()) {
                    write(pick(files, x.pick()), x.size(), x.seed());
                } else if (c instanceof Truncate x && !files.isEmpty()) {
                    Path f = pick(files, x.pick());
                    byte[] b = Files.readAllBytes(f);
                    Files.write(f, Arrays.copyOf(b, b.length * x.keepPercent() / 100));
                    stamp(f);
                } else if (c instanceof Delete x && !files.isEmpty()) {
                    Files.delete(pick(files, x.pick()));
                } else if (c instanceof Rename x && !files.isEmpty()) {
                    Path from = pick(files, x.pick());
                    Path to = pick(dirs, x.dirPick()).resolve(NAMES.get(x.namePick()));
                    if (!Files.isDirectory(to, LinkOption.NOFOLLOW_LINKS)) {
                        Files.move(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                } else if (c instanceof AddDir x) {
                    Path d = pick(dirs, x.dirPick()).resolve(NAMES.get(x.namePick()));
                    if (!Files.exists(d, LinkOption.NOFOLLOW_LINKS)) {
                        Files.createDirectory(d);
                    }
                } else if (c instanceof RenameDir x && dirs.size() > 1) {
                    Path from = pick(dirs.subList(1, dirs.size()), x.dirPick());
                    Path to = from.resolveSibling(NAMES.get(x.namePick()));
                    if (!Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
                        Files.move(from, to);
                    }
                } else if (c instanceof DeleteDir x && dirs.size() > 1) {
                    deleteTree(pick(dirs.subList(1, dirs.size()), x.dirPick()));
                } else if (c instanceof Link x) {
                    Path link = pick(dirs, x.dirPick()).resolve("L" + NAMES.get(x.namePick()));
                    String target = files.isEmpty() || x.targetPick() % 3 == 0 ? "../nowhere/" + x.targetPick()
                            : link.getParent().relativize(pick(files, x.targetPick())).toString();
                    Files.deleteIfExists(link); // a link, never a directory: "L" names are links only
                    Files.createSymbolicLink(link, Path.of(target));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("applying " + c, e);
            }
        }

        /** Writes {@code size} seeded bytes (replacing a file, never a directory) with a new, unique mtime. */
        private void write(Path f, int size, long seed) throws IOException {
            if (Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            byte[] b = new byte[size];
            new Random(seed).nextBytes(b);
            Files.write(f, b);
            stamp(f);
        }

        private void stamp(Path f) throws IOException {
            clock++;
            Files.setLastModifiedTime(f, FileTime.from(T0.plusSeconds(clock).plusNanos(clock * 7919 % 1_000_000_000)));
        }

        private List<Path> list(boolean regularFiles) {
            try (Stream<Path> s = Files.walk(src)) {
                return s.filter(p -> regularFiles ? Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                        : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static Path pick(List<Path> from, int index) {
            return from.get(index % from.size());
        }

        void syncAndCheck(String which) {
            List<String> args = new ArrayList<>(List.of("--db", db.toString(), "--transfers",
                    Integer.toString(scenario.transfers()), "--progress-interval", "1h"));
            if (scenario.deleteExtras()) {
                args.addAll(List.of("--delete-extras", "--allow-empty-source")); // the empty-source rail: own tests
            }
            args.add(src.toString());
            dests.forEach(d -> args.add(d.toString()));
            String what = which + " (" + (scenario.dual() ? "two destinations" : "one destination")
                    + (scenario.deleteExtras() ? ", --delete-extras" : "") + ")";
            Map<String, String> source = entries(src);
            // a source file where a destination still has a directory with content (the source replaced a
            // directory by a file): without --delete-extras that directory is kept, and the file fails, saying so
            Set<String> blocked = new HashSet<>();
            if (!scenario.deleteExtras()) {
                source.forEach((rel, v) -> {
                    for (Path d : dests) {
                        if (!v.equals("dir") && Files.isDirectory(d.resolve(rel), LinkOption.NOFOLLOW_LINKS)
                                && !entries(d.resolve(rel)).isEmpty()) {
                            blocked.add(rel);
                        }
                    }
                });
            }
            Outcome o = tool.run(args);
            if (blocked.isEmpty()) {
                assertRun(o, what);
            } else {
                assertThat(o.exitCode()).as(what + ", blocked " + blocked + ":\n" + o.out() + o.err()).isEqualTo(1);
                assertThat(o.err()).contains("--delete-extras replaces it");
                source.keySet().removeAll(blocked);
            }
            for (Path d : dests) {
                Map<String, String> dest = entries(d);
                assertThat(dest.keySet()).as(what + ": temp files in " + d)
                        .noneMatch(k -> Path.of(k).getFileName().toString().endsWith(".duplex-tmp"));
                if (scenario.deleteExtras()) {
                    assertThat(dest).as(what + ": " + d + " equals the source").isEqualTo(source);
                } else {
                    assertThat(dest).as(what + ": " + d + " holds the source").containsAllEntriesOf(source);
                    Set<String> extra = new HashSet<>(dest.keySet());
                    extra.removeAll(source.keySet());
                    assertThat(everInSource).as(what + ": extras in " + d + " were once in the source")
                            .containsAll(extra);
                }
            }
            Map<String, String> hashes = new TreeMap<>();
            for (List<String> row : query(db, "SELECT source_path, status, hash FROM files")) {
                String rel = src.relativize(Path.of(row.get(0))).toString();
                assertThat(row.get(1)).as(what + ": db status of " + rel)
                        .isEqualTo(blocked.contains(rel) ? "pending" : "synced");
                if (!blocked.contains(rel)) {
                    // NULL: found up to date by size and mtime, never copied under this row (the contract's "NULL
                    // until transferred"); a file renamed back onto its old, identical destination copy is one
                    hashes.put(rel, row.get(2) == null ? source.get(rel).substring(0, 64) : row.get(2));
                }
            }
            Map<String, String> expected = new TreeMap<>();
            source.forEach((rel, v) -> {
                if (!v.equals("dir") && !v.startsWith("link->")) {
                    expected.put(rel, v.substring(0, v.indexOf('@')));
                }
            });
            assertThat(hashes).as(what + ": db rows").isEqualTo(expected);
        }
    }

    /** Relative path -> "dir" or "sha256@mtime" of every entry under {@code root} (not following links). */
    static Map<String, String> entries(Path root) {
        Map<String, String> out = new TreeMap<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(p -> !p.equals(root)).forEach(p -> {
                String rel = root.relativize(p).toString();
                try {
                    out.put(rel, Files.isSymbolicLink(p) ? "link->" + Files.readSymbolicLink(p)
                            : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "dir"
                            : sha256(p) + "@" + Files.getLastModifiedTime(p).toInstant());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static String sha256(Path p) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void mkdirs(Path p) {
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes a directory tree (test scratch space). */
    public static void deleteTree(Path root) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<List<String>> query(Path db, String sql) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            List<List<String>> rows = new ArrayList<>();
            while (r.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                    row.add(r.getString(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static void assertRun(Outcome o, String which) {
        assertThat(o.exitCode()).as(which + ":\n" + o.out() + o.err()).isZero();
    }
}
