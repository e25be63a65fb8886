package dev.duplex.bisync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.bisync.Action.Conflict;
import dev.duplex.bisync.Action.Copy;
import dev.duplex.bisync.Action.Delete;
import dev.duplex.bisync.Action.Forget;
import dev.duplex.bisync.Action.MakeDirectory;
import dev.duplex.bisync.Action.NeedHash;
import dev.duplex.bisync.Action.Record;
import dev.duplex.bisync.Action.Rename;
import dev.duplex.bisync.Action.SetTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The table's rename, mtime-only and directory rows, and the order of a plan. */
class ReconcilerRenameTest extends ReconcilerFixture {

    /** Moves {@code from} to {@code to} on {@code side}: the same file (id, size, mtime), gone from its old path. */
    void move(Side side, String from, String to) {
        Version v = now(side).remove(p(from));
        now(side).put(p(to), new Version(v.kind(), v.size(), v.modified(), Optional.empty(), v.fileId(),
                v.linkTarget()));       // as a walk sees it: no hash yet
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void aRenameIsCarriedOverAsARenameOnceTheHashAgrees(Side side) {
        synced("docs/a.pdf", file(100, T0, "h0"));
        move(side, "docs/a.pdf", "docs/b.pdf");
        Plan first = plan();
        assertThat(first.hashesNeeded()).containsExactly(new NeedHash(side, p("docs/b.pdf")));
        now(side).put(p("docs/b.pdf"), now(side).get(p("docs/b.pdf")).withHash("h0"));
        assertThat(plan().actions()).containsExactly(new Rename(side.other(), p("docs/a.pdf"), p("docs/b.pdf")));
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void aCaseOnlyRenameIsARename(Side side) {
        synced("Report.txt", file(10, T0, "h0"));
        move(side, "Report.txt", "report.txt");
        now(side).put(p("report.txt"), now(side).get(p("report.txt")).withHash("h0"));
        assertThat(plan().actions()).containsExactly(new Rename(side.other(), p("Report.txt"), p("report.txt")));
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void aMoveIntoANewDirectoryIsARenameAndTheDirectoryIsMade(Side side) {
        synced("a.pdf", file(100, T0, "h0"));
        move(side, "a.pdf", "archive/a.pdf");
        now(side).put(p("archive/a.pdf"), now(side).get(p("archive/a.pdf")).withHash("h0"));
        now(side).put(p("archive"), Version.directory(T1));
        assertThat(plan().actions()).containsExactly(
                new Rename(side.other(), p("a.pdf"), p("archive/a.pdf")),
                new MakeDirectory(side.other(), p("archive"), Optional.empty()));
    }

    @Test
    void aFileWithOtherContentUnderTheSameIdIsNoRename() {
        synced("a", file(100, T0, "h0"));
        move(Side.LEFT, "a", "b");
        left.put(p("b"), left.get(p("b")).withHash("other"));
        Plan plan = plan();
        assertThat(plan.all(Rename.class)).isEmpty();
        assertThat(plan.all(Delete.class)).containsExactly(new Delete(Side.RIGHT, p("a"), right.get(p("a"))));
        assertThat(plan.all(Copy.class)).singleElement().extracting(Copy::path).isEqualTo(p("b"));
    }

    @Test
    void aRenameWhereTheOtherSideEditedTheFileLosesNothing() {
        synced("a", file(100, T0, "h0"));
        move(Side.LEFT, "a", "b");
        left.put(p("b"), left.get(p("b")).withHash("h0"));
        Version edited = Version.file(120, T1);
        right.put(p("a"), edited);
        assertThat(plan().actions()).containsExactlyInAnyOrder(
                new Copy(Side.RIGHT, p("a"), edited, Optional.empty(), false),
                new Copy(Side.LEFT, p("b"), left.get(p("b")), Optional.empty(), false));
    }

    @Test
    void renamedAlikeOnBothSidesIsOnlyRecorded() {
        synced("a", file(100, T0, "h0"));
        move(Side.LEFT, "a", "b");
        move(Side.RIGHT, "a", "b");
        left.put(p("b"), left.get(p("b")).withHash("h0"));
        right.put(p("b"), right.get(p("b")).withHash("h0"));
        assertThat(plan().actions()).containsExactly(new Forget(p("a")),
                new Record(p("b"), left.get(p("b")), right.get(p("b"))));
    }

    @Test
    void renamedDifferentlyKeepsBothNamesOnBothSides() {
        renamedApart();
        assertThat(plan().actions()).containsExactly(
                new Copy(Side.LEFT, p("b"), left.get(p("b")), Optional.empty(), false),
                new Copy(Side.RIGHT, p("c"), right.get(p("c")), Optional.empty(), false),
                new Forget(p("a")),
                new Conflict(ConflictRule.RENAMED, ConflictMode.KEEP_BOTH, p("a"), Optional.of(left.get(p("b"))),
                        Optional.of(right.get(p("c"))), Side.LEFT, Optional.empty(), p("b"), p("c")));
    }

    @Test
    void renamedDifferentlyWithNewerTakesLeftsNameOnATie() {
        options = new ReconcileOptions(ConflictMode.KEEP_BOTH, ConflictMode.KEEP_BOTH, ConflictMode.NEWER, false,
                ZoneOffset.UTC);
        renamedApart();
        assertThat(plan().all(Rename.class)).containsExactly(new Rename(Side.RIGHT, p("c"), p("b")));
        assertThat(plan().all(Copy.class)).isEmpty();
    }

    @Test
    void renamedDifferentlyWithSkipChangesNothing() {
        options = new ReconcileOptions(ConflictMode.KEEP_BOTH, ConflictMode.KEEP_BOTH, ConflictMode.SKIP, false,
                ZoneOffset.UTC);
        renamedApart();
        assertThat(plan().actions()).singleElement().isInstanceOf(Conflict.class);
    }

    private void renamedApart() {
        synced("a", file(100, T0, "h0"));
        move(Side.LEFT, "a", "b");
        move(Side.RIGHT, "a", "c");
        left.put(p("b"), left.get(p("b")).withHash("h0"));
        right.put(p("c"), right.get(p("c")).withHash("h0"));
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void anMtimeOnlyChangeIsAppliedWithoutCopying(Side side) {
        synced("a", file(100, T0, "h0"));
        now(side).put(p("a"), Version.file(100, T1).withFileId("id"));
        assertThat(plan().hashesNeeded()).containsExactly(new NeedHash(side, p("a")));
        now(side).put(p("a"), now(side).get(p("a")).withHash("h0"));
        assertThat(plan().actions()).containsExactly(new SetTime(side.other(), p("a"), T1));
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void aDeletedDirectoryGoesAfterItsFiles(Side side) {
        synced("d", Version.directory(T0));
        synced("d/e", Version.directory(T0));
        synced("d/e/x", file(1, T0, "h"));
        synced("d/y", file(1, T0, "h"));
        now(side).clear();
        Side across = side.other();
        assertThat(plan().actions()).containsExactly(
                new Delete(across, p("d/y"), now(across).get(p("d/y"))),
                new Delete(across, p("d/e/x"), now(across).get(p("d/e/x"))),
                new Delete(across, p("d/e"), now(across).get(p("d/e"))),
                new Delete(across, p("d"), now(across).get(p("d"))));
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void aDeletedDirectoryWhereTheOtherSideAddedAFileStaysAndComesBack(Side side) {
        synced("d", Version.directory(T0));
        synced("d/old", file(1, T0, "h"));
        now(side).clear();
        Side across = side.other();
        Version added = Version.file(2, T1);
        now(across).put(p("d/new"), added);
        assertThat(plan().actions()).containsExactly(
                new Delete(across, p("d/old"), now(across).get(p("d/old"))),
                new MakeDirectory(side, p("d"), Optional.empty()),
                new Copy(across, p("d/new"), added, Optional.empty(), false));
    }

    @Test
    void aPlanRunsRenamesThenDeletesThenDirectoriesThenCopies() {
        synced("gone", file(1, T0, "h1"));
        synced("moved", file(2, T0, "h2"));
        left.remove(p("gone"));
        move(Side.LEFT, "moved", "z/moved");
        left.put(p("z/moved"), left.get(p("z/moved")).withHash("h2"));
        left.put(p("z"), Version.directory(T1));
        left.put(p("a-new"), Version.file(3, T1));
        assertThat(plan().actions()).extracting(a -> a.getClass().getSimpleName())
                .containsExactly("Rename", "Delete", "MakeDirectory", "Copy");
    }

    @Test
    void aFileReplacedByADirectoryKeepsTheFileUnderAClashName() {
        synced("x", file(1, T0, "h"));
        left.put(p("x"), Version.directory(T1));
        right.put(p("x"), file(2, T2, "h2"));
        Plan plan = plan();
        assertThat(plan.all(Rename.class)).containsExactly(new Rename(Side.RIGHT, p("x"), p("x_clash_202611301200")));
        assertThat(plan.all(MakeDirectory.class)).containsExactly(new MakeDirectory(Side.RIGHT, p("x"),
                Optional.empty()));
        assertThat(plan.all(Conflict.class)).singleElement().extracting(Conflict::newer).isEqualTo(Side.LEFT);
    }

    @Test
    void aFirstRunIsTheUnionAndDeletesNothing() {
        options = new ReconcileOptions(ConflictMode.KEEP_BOTH, ConflictMode.KEEP_BOTH, ConflictMode.KEEP_BOTH, true,
                ZoneOffset.UTC);
        left.put(p("l"), Version.file(1, T0));
        right.put(p("r"), Version.file(2, T0));
        left.put(p("both"), Version.file(3, T0));
        right.put(p("both"), Version.file(3, T0));
        assertThat(plan().actions()).containsExactly(
                new Copy(Side.LEFT, p("l"), Version.file(1, T0), Optional.empty(), false),
                new Copy(Side.RIGHT, p("r"), Version.file(2, T0), Optional.empty(), false),
                new Record(p("both"), Version.file(3, T0), Version.file(3, T0)));
    }
}
