package dev.duplex.bisync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.backlog.BacklogStore;
import dev.duplex.backlog.BacklogStores;
import dev.duplex.backlog.PathNames;
import dev.duplex.digest.HashAlgorithm;
import dev.duplex.report.AuditLog;
import dev.duplex.transfer.BandwidthLimiter;
import dev.duplex.tree.LocalTree;
import dev.duplex.tree.RelPath;
import dev.duplex.tree.Roots;
import dev.duplex.tree.Tree;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user edits the other side while a run is carrying out its plan: what the executor was about to replace,
 * rename or re-time is no longer what the plan saw, so it leaves it alone (the next run decides again).
 */
class ExecutorRaceTest {
    static final Instant T1 = Instant.parse("2026-11-01T09:00:00Z");
    static final Instant T2 = Instant.parse("2026-11-02T09:00:00Z");

    @TempDir
    Path tmp;
    Path left;
    Path right;
    LocalTree leftTree;
    LocalTree rightTree;
    BacklogStore store;
    AuditLog log;
    final List<String> warnings = new ArrayList<>();
    final BisyncCounts counts = new BisyncCounts();
    final Map<RelPath, Version> leftNow = new HashMap<>();
    final Map<RelPath, Version> rightNow = new HashMap<>();

    @BeforeEach
    void setUp() throws IOException {
        left = Files.createDirectories(tmp.resolve("left"));
        right = Files.createDirectories(tmp.resolve("right"));
        leftTree = LocalTree.at(left);
        rightTree = LocalTree.at(right);
        store = BacklogStores.open(tmp.resolve("job.db"), PathNames.of(new Roots(leftTree, List.of(rightTree))));
        log = AuditLog.open(tmp.resolve("audit.jsonl"), Clock.systemUTC());
    }

    @AfterEach
    void tearDown() throws IOException {
        log.close();
        store.close();
    }

    static void write(Path p, String text, Instant mtime) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        Files.setLastModifiedTime(p, FileTime.from(mtime));
    }

    Version seen(Tree tree, Map<RelPath, Version> now, String path) throws IOException {
        Version v = tree.stat(RelPath.of(path), Tree.Detail.BASIC).flatMap(Versions::of).orElseThrow();
        now.put(RelPath.of(path), v);
        return v;
    }

    /** {@code tree}, but {@code hook} runs once right after the first file is opened for reading. */
    static Tree onFirstRead(Tree tree, Runnable hook) {
        boolean[] done = {false};
        return (Tree) Proxy.newProxyInstance(Tree.class.getClassLoader(), new Class<?>[] {Tree.class},
                (proxy, method, args) -> {
                    try {
                        Object result = method.invoke(tree, args);
                        if (method.getName().equals("openRead") && !done[0]) {
                            done[0] = true;
                            hook.run();
                        }
                        return result;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    void execute(Tree l, Action... actions) throws InterruptedException {
        execute(l, rightTree, actions);
    }

    void execute(Tree l, Tree r, Action... actions) throws InterruptedException {
        Copier copier = new Copier(HashAlgorithm.SHA256, BandwidthLimiter.unlimited());
        Executor executor = new Executor(l, r, store.bisync(), new BisyncAudit(log), copier,
                new Trash(20L << 20, "20261102-100000", copier), counts, EnumSet.noneOf(Side.class), warnings::add,
                Clock.systemUTC());
        executor.run(Plan.of(List.of(actions), List.of()), leftNow, rightNow);
    }

    static void edit(Path p, String text, Instant mtime) {
        try {
            write(p, text, mtime);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static List<Path> tempsAndTrash(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().contains(".duplex-tmp") || p.toString().contains(".sync_trash"))
                    .toList();
        }
    }

    /** {@code tree}, but {@code hook} runs right after the first commit (a temp renamed to its final name). */
    static Tree afterFirstCommit(Tree tree, Runnable hook) {
        boolean[] done = {false};
        return (Tree) Proxy.newProxyInstance(Tree.class.getClassLoader(), new Class<?>[] {Tree.class},
                (proxy, method, args) -> {
                    try {
                        Object result = method.invoke(tree, args);
                        if (method.getName().equals("commit") && !done[0]) {
                            ((java.util.concurrent.CompletableFuture<?>) result).join();
                            done[0] = true;
                            hook.run();
                        }
                        return result;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** {@code tree} as SFTP (sshfs) shows it: mtimes without fractions of a second. */
    static Tree wholeSecondMtimes(Tree tree) {
        return (Tree) Proxy.newProxyInstance(Tree.class.getClassLoader(), new Class<?>[] {Tree.class},
                (proxy, method, args) -> {
                    try {
                        Object result = method.invoke(tree, args);
                        if (method.getName().equals("stat") && result instanceof Optional<?> o && o.isPresent()) {
                            dev.duplex.tree.Entry e = (dev.duplex.tree.Entry) o.get();
                            Instant cut = e.metadata().modified().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
                            dev.duplex.tree.FileMetadata m = e.metadata();
                            return Optional.of(new dev.duplex.tree.Entry(e.path(), e.kind(),
                                    new dev.duplex.tree.FileMetadata(m.sizeBytes(), cut, m.accessed(), m.created(),
                                            m.changed(), m.permissions(), m.fileId()), e.linkTarget(),
                                    e.excluded(), e.marked()));
                        }
                        return result;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void anEditRightAfterTheCopysRenameIsNotRecordedAsSynced() throws Exception {
        write(left.resolve("a.txt"), "from the left", T1);
        Version v = seen(leftTree, leftNow, "a.txt");
        Tree r = afterFirstCommit(rightTree, () -> edit(right.resolve("a.txt"), "edited at once on the right", T2));
        execute(leftTree, r, new Action.Copy(Side.LEFT, RelPath.of("a.txt"), v, Optional.empty(), false));
        Version recorded = Versions.version(store.bisync().loadAll().get(RelPath.of("a.txt")).right().orElseThrow());
        Version now = rightTree.stat(RelPath.of("a.txt"), Tree.Detail.BASIC).flatMap(Versions::of).orElseThrow();
        assertThat(now.unchangedSince(recorded)).as("the next run sees the right side's edit").isFalse();
    }

    @Test
    void aCopyOntoASideThatKeepsWholeSecondsIsRecordedAsItIsStoredThere() throws Exception {
        Instant withFraction = T1.plusNanos(123_456_789);
        write(left.resolve("a.txt"), "from the left", withFraction);
        Version v = seen(leftTree, leftNow, "a.txt");
        Tree sftp = wholeSecondMtimes(rightTree);
        execute(leftTree, sftp, new Action.Copy(Side.LEFT, RelPath.of("a.txt"), v, Optional.empty(), false));
        Version recorded = Versions.version(store.bisync().loadAll().get(RelPath.of("a.txt")).right().orElseThrow());
        Version now = sftp.stat(RelPath.of("a.txt"), Tree.Detail.BASIC).flatMap(Versions::of).orElseThrow();
        assertThat(now.unchangedSince(recorded)).as("unchanged next run: no copy back, no mtime fix").isTrue();
    }

    @Test
    void aFileCreatedOnTheTargetWhileTheCopyRunsIsNotOverwritten() throws Exception {
        write(left.resolve("a.txt"), "from the left", T1);
        Version v = seen(leftTree, leftNow, "a.txt");
        Tree racing = onFirstRead(leftTree, () -> edit(right.resolve("a.txt"), "the right user's own", T2));
        execute(racing, new Action.Copy(Side.LEFT, RelPath.of("a.txt"), v, Optional.empty(), false));
        assertThat(Files.readString(right.resolve("a.txt"))).isEqualTo("the right user's own");
        assertThat(counts.failed()).isEqualTo(1);
        assertThat(warnings).singleElement().asString().contains("changed during the run");
        assertThat(tempsAndTrash(right)).isEmpty();
    }

    @Test
    void aTargetEditedWhileTheCopyRunsIsNeitherOverwrittenNorTrashed() throws Exception {
        write(left.resolve("a.txt"), "left v2", T2);
        write(right.resolve("a.txt"), "v1", T1);
        Version v = seen(leftTree, leftNow, "a.txt");
        Version old = seen(rightTree, rightNow, "a.txt");
        Tree racing = onFirstRead(leftTree, () -> edit(right.resolve("a.txt"), "right edit meanwhile", T2.plusSeconds(9)));
        execute(racing, new Action.Copy(Side.LEFT, RelPath.of("a.txt"), v, Optional.of(old), false));
        assertThat(Files.readString(right.resolve("a.txt"))).isEqualTo("right edit meanwhile");
        assertThat(counts.failed()).isEqualTo(1);
        assertThat(tempsAndTrash(right)).isEmpty();
    }

    @Test
    void aRenameOfAFileEditedSinceThePlanIsNotMade() throws Exception {
        write(right.resolve("x.txt"), "as planned", T1);
        seen(rightTree, rightNow, "x.txt");
        write(right.resolve("x.txt"), "edited since", T2);
        execute(leftTree, new Action.Rename(Side.RIGHT, RelPath.of("x.txt"), RelPath.of("y.txt")));
        assertThat(Files.readString(right.resolve("x.txt"))).isEqualTo("edited since");
        assertThat(right.resolve("y.txt")).doesNotExist();
        assertThat(counts.failed()).isEqualTo(1);
    }

    @Test
    void anMtimeIsNotAppliedToAFileEditedSinceThePlanEvenAtTheSameSize() throws Exception {
        write(left.resolve("a.txt"), "same", T2);
        write(right.resolve("a.txt"), "same", T1);
        seen(leftTree, leftNow, "a.txt");
        seen(rightTree, rightNow, "a.txt");
        write(right.resolve("a.txt"), "SAME", T1.plusSeconds(5));       // same size, new content
        execute(leftTree, new Action.SetTime(Side.RIGHT, RelPath.of("a.txt"), T2));
        assertThat(Files.getLastModifiedTime(right.resolve("a.txt")).toInstant()).isEqualTo(T1.plusSeconds(5));
        assertThat(counts.failed()).isEqualTo(1);
    }
}
