package dev.duplex.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * The two-way model: two trees edited at random on either side between runs (edits, creates, deletes, renames and
 * moves, touches, case-only renames, whole directories deleted), reconciled by the real tool after every round
 * with a random conflict mode. Every file version carries a unique id in its first line, so "no version is lost"
 * is a set comparison. Ops pick their targets by index when they apply, so every generated sequence is valid.
 */
final class BisyncModel {
    static final Instant T0 = Instant.parse("2026-06-01T08:00:00Z");
    static final List<String> DIRS = List.of("", "d1/", "d1/d2/", "e/");
    static final List<String> NAMES = List.of("a.txt", "b", "Doc.docx", ".hidden", "x.tar.gz", "Report.TXT");
    static final Pattern PATH = Pattern.compile("\"path\":\"([^\"]*)\"");

    enum Kind { EDIT, CREATE, DELETE, RENAME, TOUCH, CASE, DELETE_DIR }

    record Op(Kind kind, boolean left, int pick, int dir, int name, int size) {
    }

    record Round(List<Op> ops, String mode) {
    }

    record Scenario(List<Op> start, List<Round> rounds) {
    }

    /** Runs duplex with these arguments. */
    interface Tool {
        Outcome run(List<String> args) throws IOException;
    }

    record Outcome(int exitCode, String out, String err) {
    }

    static Arbitrary<Op> ops() {
        Arbitrary<Boolean> side = Arbitraries.of(true, false);
        Arbitrary<Integer> pick = Arbitraries.integers().between(0, 40);
        Arbitrary<Integer> dir = Arbitraries.integers().between(0, DIRS.size() - 1);
        Arbitrary<Integer> name = Arbitraries.integers().between(0, NAMES.size() - 1);
        Arbitrary<Integer> size = Arbitraries.integers().between(0, 4000);
        return Combinators.combine(Arbitraries.of(Kind.values()), side, pick, dir, name, size).as(Op::new);
    }

    static Arbitrary<Scenario> scenarios() {
        Arbitrary<Op> creates = Combinators.combine(Arbitraries.of(true, false), Arbitraries.integers().between(0, 3),
                        Arbitraries.integers().between(0, NAMES.size() - 1), Arbitraries.integers().between(0, 4000))
                .as((left, dir, name, size) -> new Op(Kind.CREATE, left, 0, dir, name, size));
        Arbitrary<Round> round = Combinators.combine(ops().list().ofMinSize(1).ofMaxSize(6),
                Arbitraries.of("keep-both", "keep-both", "newer", "skip")).as(Round::new);
        return Combinators.combine(creates.list().ofMinSize(2).ofMaxSize(10), round.list().ofMinSize(1).ofMaxSize(4))
                .as(Scenario::new);
    }

    private final Path left;
    private final Path right;
    private final Path db;
    private final Tool tool;
    private int clock;
    private int ids;

    BisyncModel(Path work, Tool tool) throws IOException {
        this.left = Files.createDirectories(work.resolve("left"));
        this.right = Files.createDirectories(work.resolve("right"));
        this.db = work.resolve("job.db");
        this.tool = tool;
    }

    void play(Scenario s) throws IOException {
        for (Op op : s.start()) {
            apply(op);
        }
        reconcile("keep-both");
        for (Round r : s.rounds()) {
            for (Op op : r.ops()) {
                apply(op);
            }
            reconcile(r.mode());
        }
    }

    /** One run, checked: (a) both sides equal but for unresolved conflicts, (b) no version lost, (c) idempotent. */
    void reconcile(String mode) throws IOException {
        Set<String> before = versions();
        List<String> args = List.of("bisync", "--db", db.toString(), "--conflict-changed", mode,
                "--conflict-renamed", mode.equals("newer") ? "newer" : mode, "--soft-delete-max", "1G", "--force",
                left.toString(), right.toString());
        Outcome first = tool.run(args);
        assertThat(first.exitCode()).as(first.err() + first.out()).isIn(0, 1);
        if (first.exitCode() == 1) {
            assertThat(mode).as("only skip leaves something unresolved: " + first.err()).isEqualTo("skip");
        }
        Set<String> unresolved = unresolved();
        assertThat(without(content(left), unresolved)).as("both sides equal\n" + first.out() + first.err())
                .isEqualTo(without(content(right), unresolved));
        Set<String> after = versions();
        Set<String> lost = new HashSet<>(before);
        lost.removeAll(after);
        assertThat(lost).as("versions lost by the run\n" + first.out()).isEmpty();
        Map<String, String> l = snapshot(left);
        Map<String, String> r = snapshot(right);
        Outcome second = tool.run(args);
        assertThat(second.exitCode()).as(second.err()).isEqualTo(first.exitCode());
        assertThat(snapshot(left)).as("a second run changes nothing\n" + second.out()).isEqualTo(l);
        assertThat(snapshot(right)).as("a second run changes nothing\n" + second.out()).isEqualTo(r);
    }

    private Set<String> unresolved() throws IOException {
        Outcome c = tool.run(List.of("conflicts", "--json", "--db", db.toString()));
        Set<String> paths = new HashSet<>();
        Matcher m = PATH.matcher(c.out());
        while (m.find()) {
            paths.add(m.group(1));
        }
        return paths;
    }

    private static Map<String, String> without(Map<String, String> all, Set<String> paths) {
        Map<String, String> out = new TreeMap<>(all);
        out.keySet().removeIf(k -> paths.stream().anyMatch(p -> k.equals(p)));
        return out;
    }

    void apply(Op op) throws IOException {
        Path root = op.left() ? left : right;
        List<Path> files = files(root);
        Instant when = T0.plusSeconds(61L * ++clock);
        switch (op.kind()) {
            case CREATE -> write(root.resolve(DIRS.get(op.dir()) + NAMES.get(op.name())), op.size(), when);
            case EDIT -> {
                if (!files.isEmpty()) {
                    write(files.get(op.pick() % files.size()), op.size(), when);
                }
            }
            case DELETE -> {
                if (!files.isEmpty()) {
                    Files.delete(files.get(op.pick() % files.size()));
                }
            }
            case TOUCH -> {
                if (!files.isEmpty()) {
                    Files.setLastModifiedTime(files.get(op.pick() % files.size()), FileTime.from(when));
                }
            }
            case RENAME -> {
                if (!files.isEmpty()) {
                    Path to = root.resolve(DIRS.get(op.dir()) + "r" + op.name() + "-" + NAMES.get(op.name()));
                    move(files.get(op.pick() % files.size()), to);
                }
            }
            case CASE -> {
                if (!files.isEmpty()) {
                    Path from = files.get(op.pick() % files.size());
                    String n = from.getFileName().toString();
                    String flipped = n.equals(n.toUpperCase()) ? n.toLowerCase() : n.toUpperCase();
                    move(from, from.resolveSibling(flipped));
                }
            }
            case DELETE_DIR -> {
                Path dir = root.resolve(DIRS.get(1 + op.dir() % (DIRS.size() - 1)));
                if (Files.isDirectory(dir)) {
                    deleteTree(dir);
                }
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        if (Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.createDirectories(to.getParent());
        Files.move(from, to);
    }

    private void write(Path p, int size, Instant when) throws IOException {
        Files.createDirectories(p.getParent());
        StringBuilder b = new StringBuilder("v" + (++ids) + "\n");
        while (b.length() < size) {
            b.append((char) ('a' + (b.length() * 7 + ids) % 26));
        }
        Files.writeString(p, b, StandardCharsets.UTF_8);
        Files.setLastModifiedTime(p, FileTime.from(when));
    }

    /** The regular files of a side, without the trash, in name order. */
    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .filter(p -> !root.relativize(p).toString().startsWith(".sync_trash")).sorted().toList();
        }
    }

    /** The version ids held anywhere on either side, the trash included. */
    private Set<String> versions() throws IOException {
        Set<String> ids = new HashSet<>();
        for (Path root : List.of(left, right)) {
            try (Stream<Path> s = Files.walk(root)) {
                for (Path p : s.filter(q -> Files.isRegularFile(q, LinkOption.NOFOLLOW_LINKS)).toList()) {
                    String text = Files.readString(p, StandardCharsets.UTF_8);
                    int nl = text.indexOf('\n');
                    ids.add(nl < 0 ? text : text.substring(0, nl));
                }
            }
        }
        return ids;
    }

    private static Map<String, String> content(Path root) {
        return dev.duplex.testing.Tree.snapshotWithoutTrash(root);
    }

    private static Map<String, String> snapshot(Path root) {
        return new TreeMap<>(dev.duplex.testing.Tree.snapshot(root));
    }

    static void deleteTree(Path p) throws IOException {
        dev.duplex.testing.Tree.deleteTree(p);
    }
}
