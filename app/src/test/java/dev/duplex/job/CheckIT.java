package dev.duplex.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.testing.Db;
import dev.duplex.testing.Duplex;
import dev.duplex.testing.Duplex.Result;
import dev.duplex.testing.Tree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** duplex check, in-process: clean, corrupted, missing, changed source, two destinations, lock, bandwidth. */
class CheckIT {
    @TempDir
    Path tmp;
    Path src;
    Path dst;
    Path db;

    @BeforeEach
    void syncedTree() {
        src = tmp.resolve("src");
        dst = tmp.resolve("dst");
        db = tmp.resolve("job.db");
        Tree.at(src).file("a.txt", "aaa").file("d/b.txt", "bbb").randomFile("big.bin", 300_000, 3);
        Result r = duplex("--db", db.toString(), "--checksum", "blake2b", src.toString(), dst.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
    }

    private Result duplex(String... args) {
        return Duplex.run(tmp.resolve("state"), args);
    }

    private Result check(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("check", "--db", db.toString()));
        args.addAll(List.of(extra));
        args.add(src.toString());
        args.add(dst.toString());
        return duplex(args.toArray(String[]::new));
    }

    @Test
    void aCleanCopyPassesWithExit0() {
        Result r = check();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("checked 3 files (3 copies, 293 KiB read): 0 mismatched, 0 missing")
                .contains("OK: every copy matches the db").doesNotContain("MISMATCH");
    }

    @Test
    void aCorruptedCopyWithTheSameSizeAndMtimeIsAMismatch() throws IOException {
        Path copy = dst.resolve("d/b.txt");
        FileTime mtime = Files.getLastModifiedTime(copy);
        Files.writeString(copy, "bXb");
        Files.setLastModifiedTime(copy, mtime); // a sync would skip it: only check can see it
        Result r = check();
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).contains("MISMATCH " + copy + ": blake2b ").contains("the db recorded ")
                .contains("1 mismatched, 0 missing").contains("NOT OK");
        assertThat(duplex("--db", db.toString(), src.toString(), dst.toString()).out()).contains("copied 0 files");
    }

    @Test
    void aTruncatedCopyIsAMismatchBySize() throws IOException {
        Files.write(dst.resolve("big.bin"), new byte[10]);
        Result r = check();
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("MISMATCH " + dst.resolve("big.bin") + ": size 10, the db recorded 300000");
    }

    @Test
    void aMissingCopyIsReported() throws IOException {
        Files.delete(dst.resolve("a.txt"));
        Result r = check();
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("MISSING " + dst.resolve("a.txt")).contains("0 mismatched, 1 missing");
    }

    @Test
    void againstSourceFindsASourceThatChangedSinceTheCopy() throws IOException {
        Files.writeString(src.resolve("a.txt"), "AAA");
        assertThat(check().exitCode()).as("the copies still match the db").isZero();
        Result r = check("--against-source");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("MISMATCH source " + src.resolve("a.txt") + ": blake2b ");
    }

    @Test
    void bothDestinationsAreCheckedAndTheDbAloneIsEnough() throws IOException {
        Path dst2 = tmp.resolve("dst2");
        Path db2 = tmp.resolve("two.db");
        assertThat(duplex("--db", db2.toString(), src.toString(), dst.toString(), dst2.toString()).exitCode()).isZero();
        Files.delete(dst2.resolve("d/b.txt"));
        Result r = duplex("check", "--db", db2.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("MISSING " + dst2.resolve("d/b.txt")).contains("checked 3 files (6 copies");
    }

    @Test
    void pendingFilesAreNotCheckedButCounted() {
        Db.execute(db, "UPDATE files SET status='pending' WHERE source_path LIKE '%a.txt'");
        Result r = check();
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("checked 2 files").contains("1 files not synced yet, not checked");
    }

    @Test
    void aRunningSyncMakesCheckExit3() throws Exception {
        try (JobLock held = JobLock.acquire(db)) {
            Result r = check();
            assertThat(r.exitCode()).isEqualTo(3);
            assertThat(r.err()).contains("another duplex run is using the job db " + db);
        }
    }

    @Test
    void aMissingDestinationRootIsFatal() throws IOException {
        Result r = duplex("check", "--db", db.toString(), src.toString(), tmp.resolve("unmounted").toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("belongs to another job");
        Files.move(dst, tmp.resolve("moved"));
        Result gone = check();
        assertThat(gone.exitCode()).isEqualTo(4);
        assertThat(gone.err()).contains("destination root " + dst + " does not exist (is the share mounted?)");
    }

    @Test
    void verbosePrintsEveryMatch() {
        assertThat(check("-v").out()).contains("OK " + dst.resolve("a.txt")).contains("OK " + dst.resolve("big.bin"));
    }

    @Test
    void checkHonoursTheBandwidthLimit() {
        long start = System.nanoTime();
        Result r = check("--bwlimit", "100K"); // 300 KB at 100 KiB/s: about 2 s after the first free second
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(r.exitCode()).isZero();
        assertThat(seconds).isGreaterThan(1.5);
    }

    @Test
    void checkOfAJobThatNeverRanIsFatal() {
        Result r = duplex("check", "--db", tmp.resolve("none.db").toString());
        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(r.err()).contains("no job db at " + tmp.resolve("none.db"));
        assertThat(tmp.resolve("none.db")).doesNotExist();
        assertThat(tmp.resolve("none.db.lock")).doesNotExist();
    }
}
