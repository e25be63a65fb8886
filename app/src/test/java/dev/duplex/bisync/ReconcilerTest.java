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
import dev.duplex.tree.RelPath;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The contract's decision table, row by row, each row from both sides. */
class ReconcilerTest extends ReconcilerFixture {
    @ParameterizedTest
    @EnumSource(Side.class)
    void changedAgainstUnchangedIsCopiedAcross(Side side) {
        synced("a.txt", file(3, T0, "h0"));
        Version edited = Version.file(5, T1);
        now(side).put(p("a.txt"), edited);
        assertThat(plan().actions()).containsExactly(
                new Copy(side, p("a.txt"), edited, Optional.of(now(side.other()).get(p("a.txt"))), false));
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void createdAgainstAbsentIsCopiedAcross(Side side) {
        Version v = Version.file(7, T1);
        now(side).put(p("new/b.txt"), v);
        now(side).put(p("new"), Version.directory(T1));
        assertThat(plan().actions()).containsExactly(
                new MakeDirectory(side.other(), p("new"), Optional.empty()),
                new Copy(side, p("new/b.txt"), v, Optional.empty(), false));
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void changedOnBothWithTheSameContentCopiesNoDataAndBothTakeTheNewerMtime(Side side) {
        synced("a.txt", file(3, T0, "h0"));
        left.put(p("a.txt"), file(4, T1, "h1"));
        right.put(p("a.txt"), file(4, T2, "h1"));
        assertThat(plan().actions()).containsExactly(new SetTime(Side.LEFT, p("a.txt"), T2));
    }

    @Test
    void changedOnBothWithEqualSizesAndUnknownHashesAsksForBothHashes() {
        synced("a.txt", file(3, T0, "h0"));
        left.put(p("a.txt"), Version.file(4, T1));
        right.put(p("a.txt"), Version.file(4, T2));
        Plan plan = plan();
        assertThat(plan.isFinal()).isFalse();
        assertThat(plan.hashesNeeded()).containsExactlyInAnyOrder(new NeedHash(Side.LEFT, p("a.txt")),
                new NeedHash(Side.RIGHT, p("a.txt")));
    }

    @Test
    void copiesGoSmallestFirstSoManySmallFilesDoNotWaitBehindALargeOne() {
        left.put(p("z-small.txt"), Version.file(1, T1));
        left.put(p("a-large.bin"), Version.file(1000, T1));
        left.put(p("m-mid.txt"), Version.file(10, T1));
        assertThat(plan().all(Copy.class).stream().map(Copy::path).toList())
                .containsExactly(p("z-small.txt"), p("m-mid.txt"), p("a-large.bin"));
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void changedOnBothKeepsBothNewerKeepsTheName(Side newerSide) {
        synced("d/r.docx", file(3, T0, "h0"));
        Version newer = file(5, T2, "hn");
        Version older = file(4, T1, "ho");
        now(newerSide).put(p("d/r.docx"), newer);
        now(newerSide.other()).put(p("d/r.docx"), older);
        RelPath clash = p("d/r_clash_202611301100.docx");
        Side olderSide = newerSide.other();
        assertThat(plan().actions()).containsExactly(
                new Rename(olderSide, p("d/r.docx"), clash),
                new Copy(olderSide, clash, older, Optional.empty(), false),             // copies: smallest first
                new Copy(newerSide, p("d/r.docx"), newer, Optional.empty(), false),
                new Conflict(ConflictRule.CHANGED, ConflictMode.KEEP_BOTH, p("d/r.docx"),
                        Optional.of(left.get(p("d/r.docx"))), Optional.of(right.get(p("d/r.docx"))), newerSide,
                        Optional.of(clash), p("d/r.docx"), p("d/r.docx")));
    }

    @Test
    void onATieLeftIsTheNewer() {
        synced("x", file(3, T0, "h0"));
        left.put(p("x"), file(4, T1, "hl"));
        right.put(p("x"), file(5, T1, "hr"));
        assertThat(plan().all(Conflict.class)).singleElement().extracting(Conflict::newer).isEqualTo(Side.LEFT);
        assertThat(plan().all(Rename.class)).containsExactly(new Rename(Side.RIGHT, p("x"), p("x_clash_202611301100")));
    }

    @Test
    void aTakenClashNameGetsANumber() {
        synced("x.txt", file(3, T0, "h0"));
        synced("x_clash_202611301100.txt", file(3, T0, "h9"));
        left.put(p("x.txt"), file(4, T2, "hl"));
        right.put(p("x.txt"), file(5, T1, "hr"));
        assertThat(plan().all(Rename.class))
                .containsExactly(new Rename(Side.RIGHT, p("x.txt"), p("x_clash_202611301100_2.txt")));
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void newerModeOverwritesTheOlderWhichGoesToTheTrash(Side newerSide) {
        options = new ReconcileOptions(ConflictMode.NEWER, ConflictMode.KEEP_BOTH, ConflictMode.KEEP_BOTH, false,
                ZoneOffset.UTC);
        synced("a", file(3, T0, "h0"));
        now(newerSide).put(p("a"), file(5, T2, "hn"));
        now(newerSide.other()).put(p("a"), file(4, T1, "ho"));
        assertThat(plan().all(Copy.class)).containsExactly(new Copy(newerSide, p("a"), file(5, T2, "hn"),
                Optional.of(file(4, T1, "ho")), false));
        assertThat(plan().all(Conflict.class)).singleElement().satisfies(c -> {
            assertThat(c.mode()).isEqualTo(ConflictMode.NEWER);
            assertThat(c.newer()).isEqualTo(newerSide);
        });
    }

    @Test
    void skipModeTouchesNothingAndRecordsNothing() {
        options = new ReconcileOptions(ConflictMode.SKIP, ConflictMode.KEEP_BOTH, ConflictMode.KEEP_BOTH, false,
                ZoneOffset.UTC);
        synced("a", file(3, T0, "h0"));
        left.put(p("a"), file(5, T2, "hn"));
        right.put(p("a"), file(4, T1, "ho"));
        assertThat(plan().actions()).singleElement().isInstanceOfSatisfying(Conflict.class,
                c -> assertThat(c.mode()).isEqualTo(ConflictMode.SKIP));
    }

    @Test
    void createdOnBothWithTheSameSizeAndMtimeIsTheSameFile() {
        left.put(p("a"), Version.file(3, T0));
        right.put(p("a"), Version.file(3, T0));
        assertThat(plan().actions()).containsExactly(new Record(p("a"), Version.file(3, T0), Version.file(3, T0)));
    }

    @Test
    void createdOnBothWithDifferentContentIsTheCreatedRule() {
        left.put(p("a"), Version.file(3, T0));
        right.put(p("a"), Version.file(4, T1));
        assertThat(plan().all(Conflict.class)).singleElement().satisfies(c -> {
            assertThat(c.rule()).isEqualTo(ConflictRule.CREATED);
            assertThat(c.newer()).isEqualTo(Side.RIGHT);
        });
    }

    @Test
    void aFirstRunsNewerLoserGoesToTheTrashWhateverItsSize() {
        options = new ReconcileOptions(ConflictMode.KEEP_BOTH, ConflictMode.NEWER, ConflictMode.KEEP_BOTH, true,
                ZoneOffset.UTC);
        left.put(p("a"), Version.file(3, T0));
        right.put(p("a"), Version.file(4, T1));
        assertThat(plan().all(Copy.class)).containsExactly(
                new Copy(Side.RIGHT, p("a"), Version.file(4, T1), Optional.of(Version.file(3, T0)), true));
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void deletedAgainstUnchangedIsDeletedAcross(Side side) {
        synced("a", file(3, T0, "h0"));
        now(side).remove(p("a"));
        assertThat(plan().actions()).containsExactly(new Delete(side.other(), p("a"),
                now(side.other()).get(p("a"))));
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void theEditWinsOverTheDelete(Side deleting) {
        synced("a", file(3, T0, "h0"));
        now(deleting).remove(p("a"));
        Version edited = Version.file(9, T1);
        now(deleting.other()).put(p("a"), edited);
        assertThat(plan().actions()).containsExactly(new Copy(deleting.other(), p("a"), edited, Optional.empty(),
                false));
    }

    @Test
    void deletedOnBothIsForgotten() {
        synced("a", file(3, T0, "h0"));
        left.clear();
        right.clear();
        assertThat(plan().actions()).containsExactly(new Forget(p("a")));
    }

    @Test
    void unchangedOnBothDoesNothing() {
        synced("a", file(3, T0, "h0"));
        synced("d", Version.directory(T0));
        assertThat(plan().actions()).isEmpty();
        assertThat(plan().isFinal()).isTrue();
    }
}
