package dev.duplex.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.testing.Duplex;
import dev.duplex.testing.Duplex.Result;
import dev.duplex.testing.Tree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code duplex bisync} from the command line, on two local folders. */
class BisyncIT {
    static final Instant T1 = Instant.parse("2026-11-01T09:00:00Z");
    static final Instant T2 = Instant.parse("2026-11-02T09:00:00Z");
    static final Instant T3 = Instant.parse("2026-11-03T09:00:00Z");

    @TempDir
    Path tmp;
    Path left;
    Path right;

    @BeforeEach
    void roots() throws IOException {
        left = Files.createDirectories(tmp.resolve("left"));
        right = Files.createDirectories(tmp.resolve("right"));
    }

    Result bisync(String... args) {
        List<String> all = new ArrayList<>(List.of("bisync", "--db", tmp.resolve("job.db").toString()));
        all.addAll(List.of(args));
        all.add(left.toString());
        all.add(right.toString());
        return Duplex.run(tmp.resolve("state"), all.toArray(String[]::new));
    }

    static void write(Path root, String rel, String content, Instant mtime) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.UTF_8);
        Files.setLastModifiedTime(p, FileTime.from(mtime));
    }

    static Map<String, String> content(Path root) {
        return Tree.snapshotWithoutTrash(root);
    }

    static List<Path> trash(Path root) throws IOException {
        Path t = root.resolve(".sync_trash");
        if (!Files.exists(t)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(t)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }


    static Object inode(Path p) throws IOException {
        return Files.getAttribute(p, "unix:ino");
    }

    void syncedStart() throws IOException {
        write(left, "a.txt", "alpha", T1);
        write(left, "docs/b.txt", "bravo", T1);
        write(right, "c.txt", "charlie", T1);
        write(right, "docs/d.txt", "delta", T1);
        write(left, "same.txt", "same", T1);
        write(right, "same.txt", "same", T1);
        Result r = bisync();
        assertThat(r.exitCode()).as(r.toString()).isZero();
    }

    @Test
    void theFirstRunMakesBothSidesTheUnionAndASecondRunChangesNothing() throws IOException {
        syncedStart();
        assertThat(content(left)).isEqualTo(content(right)).containsKeys("a.txt", "c.txt", "docs/b.txt",
                "docs/d.txt", "same.txt");
        Result again = bisync();
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).contains("copied 0 left->right").contains("0 right->left");
    }

    @Test
    void editsCreatesAndDeletesOnEitherSideAreCarriedOver() throws IOException {
        syncedStart();
        write(left, "a.txt", "alpha 2", T2);
        write(right, "c.txt", "charlie 2", T2);
        write(right, "new/e.txt", "echo", T2);
        Files.delete(left.resolve("docs/b.txt"));
        Result r = bisync();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(content(left)).isEqualTo(content(right));
        assertThat(Files.readString(right.resolve("a.txt"))).isEqualTo("alpha 2");
        assertThat(Files.readString(left.resolve("c.txt"))).isEqualTo("charlie 2");
        assertThat(Files.readString(left.resolve("new/e.txt"))).isEqualTo("echo");
        assertThat(right.resolve("docs/b.txt")).doesNotExist();
        // the deleted file, and the version the edit replaced: no version is lost
        assertThat(trash(right)).extracting(p -> right.relativize(p).toString().replaceFirst("^[^/]+/[^/]+/", ""))
                .containsExactlyInAnyOrder("docs/b.txt", "a.txt");
        assertThat(trash(right)).extracting(Files::readString).containsExactlyInAnyOrder("bravo", "alpha");
        assertThat(trash(left)).extracting(Files::readString).containsExactly("charlie");
    }

    @Test
    void aFileChangedOnBothSidesKeepsBothVersionsUnderTheContractsClashName() throws IOException {
        syncedStart();
        write(left, "a.txt", "left edit", T2);
        write(right, "a.txt", "right edit, newer", T3);
        Result r = bisync();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        String stamp = DateTimeFormatter.ofPattern("yyyyMMddHHmm").format(T2.atZone(ZoneId.systemDefault()));
        String clash = "a_clash_" + stamp + ".txt";
        for (Path side : List.of(left, right)) {
            assertThat(Files.readString(side.resolve("a.txt"))).isEqualTo("right edit, newer");
            assertThat(Files.readString(side.resolve(clash))).isEqualTo("left edit");
        }
        assertThat(content(left)).isEqualTo(content(right));
        assertThat(Files.readString(tmp.resolve("job.audit.jsonl"))).contains("\"event\":\"conflict\"")
                .contains("\"rule\":\"changed\"").contains("\"clash\":\"" + clash + "\"");
        assertThat(bisync().out()).contains("conflicts 0");
    }

    @Test
    void aSkippedConflictExitsOneIsListedAndStaysUntilTheSidesAgree() throws IOException {
        syncedStart();
        write(left, "a.txt", "left edit", T2);
        write(right, "a.txt", "right edit", T3);
        Result r = bisync("--conflict-changed", "skip");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(Files.readString(left.resolve("a.txt"))).isEqualTo("left edit");
        assertThat(Files.readString(right.resolve("a.txt"))).isEqualTo("right edit");
        Result listed = Duplex.run(tmp.resolve("state"), "conflicts", "--db", tmp.resolve("job.db").toString());
        assertThat(listed.out()).contains("a.txt").contains("(changed)").contains("1 unresolved conflict");
        assertThat(bisync("--conflict-changed", "skip").exitCode()).isEqualTo(1);
        write(left, "a.txt", "right edit", T3);            // the user resolves it by hand
        Result resolved = bisync("--conflict-changed", "skip");
        assertThat(resolved.exitCode()).as(resolved.toString()).isZero();
        assertThat(Duplex.run(tmp.resolve("state"), "conflicts", "--db", tmp.resolve("job.db").toString()).out())
                .contains("no unresolved conflicts");
    }

    @Test
    void aRenameIsCarriedOverAsARenameKeepingTheFile() throws IOException {
        syncedStart();
        Object before = inode(right.resolve("docs/b.txt"));
        Files.createDirectories(left.resolve("archive"));
        Files.move(left.resolve("docs/b.txt"), left.resolve("archive/b-renamed.txt"));
        Result r = bisync();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("renamed 1").contains("copied 0 left->right");
        assertThat(inode(right.resolve("archive/b-renamed.txt"))).isEqualTo(before);
        assertThat(right.resolve("docs/b.txt")).doesNotExist();
        assertThat(trash(right)).isEmpty();
        assertThat(content(left)).isEqualTo(content(right));
    }

    @Test
    void anMtimeOnlyChangeIsAppliedWithoutCopying() throws IOException {
        syncedStart();
        Object before = inode(right.resolve("a.txt"));
        Files.setLastModifiedTime(left.resolve("a.txt"), FileTime.from(T3));
        Result r = bisync();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("mtimes 1");
        assertThat(inode(right.resolve("a.txt"))).isEqualTo(before);
        assertThat(Files.getLastModifiedTime(right.resolve("a.txt")).toInstant()).isEqualTo(T3);
    }

    @Test
    void anEmptiedRootStopsTheRunBeforeAnyChangeUnlessForced() throws IOException {
        syncedStart();
        Map<String, String> rightBefore = content(right);
        try (Stream<Path> s = Files.list(left)) {
            for (Path p : s.toList()) {
                Tree.deleteTree(p);
            }
        }
        Result r = bisync();
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
        assertThat(r.err()).contains("is empty").contains("is the share mounted");
        assertThat(content(right)).isEqualTo(rightBefore);
    }

    @Test
    void aMissingRootStopsTheRun() throws IOException {
        syncedStart();
        Files.move(left, tmp.resolve("elsewhere"));
        Result r = bisync();
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
        assertThat(r.err()).contains("is missing");
    }

    @Test
    void moreDeletesThanMaxDeleteChangeNothing() throws IOException {
        syncedStart();
        Files.delete(left.resolve("a.txt"));
        Files.delete(left.resolve("c.txt"));
        Files.delete(left.resolve("same.txt"));
        Result r = bisync();
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
        assertThat(r.err()).contains("would delete 3 of the 5 files").contains("--max-delete 50%");
        assertThat(right.resolve("a.txt")).exists();
        Result forced = bisync("--force");
        assertThat(forced.exitCode()).as(forced.toString()).isZero();
        assertThat(right.resolve("a.txt")).doesNotExist();
    }

    @Test
    void aDryRunCountsAndListsAndChangesNothing() throws IOException {
        write(left, "a.txt", "alpha", T1);
        write(right, "b.txt", "bravo", T1);
        write(left, "same.txt", "same", T1);
        write(right, "same.txt", "same", T1);
        Result r = bisync("--dry-run");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("left 2 files, right 2 files; only left 1, only right 1, on both 1")
                .contains("would copy a.txt left -> right").contains("would copy b.txt right -> left");
        assertThat(right.resolve("a.txt")).doesNotExist();
        assertThat(tmp.resolve("job.db")).doesNotExist();
    }

    @Test
    void statusShowsABisyncJob() throws IOException {
        syncedStart();
        write(left, "a.txt", "left edit", T2);
        write(right, "a.txt", "right edit", T3);
        bisync("--conflict-changed", "skip");
        Result s = Duplex.run(tmp.resolve("state"), "status", "--db", tmp.resolve("job.db").toString());
        assertThat(s.exitCode()).as(s.toString()).isZero();
        assertThat(s.out()).contains("job:      bisync " + left).contains("paths recorded")
                .contains("conflicts: 1 unresolved").contains("last run:");
        Result json = Duplex.run(tmp.resolve("state"), "status", "--json", "--db", tmp.resolve("job.db").toString());
        assertThat(json.out()).contains("\"unresolved_conflicts\":1");
    }

    @Test
    void pathReconcilesOnlyThatFolder() throws IOException {
        syncedStart();
        write(left, "docs/new.txt", "in docs", T2);
        write(left, "elsewhere.txt", "not now", T2);
        Result r = bisync("--path", "docs");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(right.resolve("docs/new.txt")).exists();
        assertThat(right.resolve("elsewhere.txt")).doesNotExist();
        assertThat(bisync().exitCode()).isZero();
        assertThat(right.resolve("elsewhere.txt")).exists();
    }

    @Test
    void pathOfOneFileDeletesItAcrossWithoutTouchingTheRest() throws IOException {
        syncedStart();
        Files.delete(left.resolve("a.txt"));
        Files.delete(left.resolve("c.txt"));
        Result r = bisync("--path", "a.txt");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(right.resolve("a.txt")).doesNotExist();
        assertThat(right.resolve("c.txt")).exists();
    }

    @Test
    void verboseTellsEachAction() throws IOException {
        syncedStart();
        write(left, "a.txt", "alpha 2", T2);
        Result r = bisync("-v");
        assertThat(r.out()).contains("copy a.txt left -> right");
    }

    @Test
    void tempFilesOfAnInterruptedRunAreRemovedAndNeverSynced() throws IOException {
        syncedStart();
        write(right, "docs/.half.bin.0badc0de.duplex-tmp", "partial", T2);
        Result r = bisync();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.err()).contains("removed 1 temp file");
        assertThat(right.resolve("docs/.half.bin.0badc0de.duplex-tmp")).doesNotExist();
        assertThat(left.resolve("docs/.half.bin.0badc0de.duplex-tmp")).doesNotExist();
    }

    @Test
    void theTrashIsNoPathToSync() {
        Result r = bisync("--path", ".sync_trash/20261101-090000");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("is in the trash");
    }

    @Test
    void aDryRunShowsThePlanAndThenThatARealRunWouldRefuseIt() throws IOException {
        syncedStart();
        Files.delete(left.resolve("a.txt"));
        Files.delete(left.resolve("c.txt"));
        Files.delete(left.resolve("same.txt"));
        Result r = bisync("--dry-run");
        assertThat(r.out()).contains("would delete a.txt on right");
        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(r.err()).contains("--max-delete");
        assertThat(right.resolve("a.txt")).exists();
    }

    @Test
    void aRootOnAnotherFileSystemThanRecordedStopsTheRunUnlessAllowed() throws Exception {
        syncedStart();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("job.db"));
             java.sql.Statement s = c.createStatement()) {  // as if RIGHT had been another share when it was recorded
            assertThat(s.executeUpdate("UPDATE job SET value='nas:/export\tnfs4\t/mnt/cloud' "
                    + "WHERE key='file_system.right'")).isEqualTo(1);
        }
        write(left, "a.txt", "alpha 2", T2);
        Result r = bisync();
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
        assertThat(r.err()).contains("RIGHT " + right).contains("this job recorded nas:/export").contains("--allow-fs-change");
        assertThat(Files.readString(right.resolve("a.txt"))).isEqualTo("alpha");
        Result allowed = bisync("--allow-fs-change");
        assertThat(allowed.exitCode()).as(allowed.toString()).isZero();
        assertThat(Files.readString(right.resolve("a.txt"))).isEqualTo("alpha 2");
        assertThat(bisync().exitCode()).isZero();          // the new file system is the recorded one now
    }

    @Test
    void helpRendersEveryOptionText() {
        Result r = Duplex.run(tmp.resolve("state"), "bisync", "--help");
        assertThat(r.exitCode()).isZero();
        // a bare % in a description made picocli print its raw text with a warning
        assertThat(r.out().replaceAll("\\s+", " ")).contains("or N% of the files recorded, on one side. Default: 50%.")
                .doesNotContain("%%");
    }

    @Test
    void overlappingRootsAreAUsageError() {
        Result r = Duplex.run(tmp.resolve("state"), "bisync", left.toString(), left.resolve("inner").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("must not overlap");
    }

    @Test
    void smallDeletedFilesGoToTheTrashAndLargerOnesAreDeleted() throws IOException {
        syncedStart();
        write(left, "big.bin", "x".repeat(3000), T1);
        write(left, "more1.txt", "1", T1);
        write(left, "more2.txt", "2", T1);
        assertThat(bisync().exitCode()).isZero();
        Files.delete(right.resolve("big.bin"));
        Files.delete(right.resolve("more1.txt"));
        Result r = bisync("--soft-delete-max", "1K");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(left.resolve("big.bin")).doesNotExist();
        assertThat(trash(left)).singleElement().satisfies(p -> assertThat(p.toString()).endsWith("more1.txt"));
        assertThat(content(left)).isEqualTo(content(right));
    }
}
