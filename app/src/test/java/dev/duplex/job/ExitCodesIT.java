package dev.duplex.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.testing.Db;
import dev.duplex.testing.Duplex;
import dev.duplex.testing.Duplex.Result;
import dev.duplex.testing.Tree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad input, locks and fatal conditions: the exit code, one clear line on stderr, and nothing created. */
class ExitCodesIT {
    @TempDir
    Path tmp;
    Path src;
    Path dst;
    Path db;

    @BeforeEach
    void tree() {
        src = tmp.resolve("src");
        dst = tmp.resolve("dst");
        db = tmp.resolve("job.db");
        Tree.at(src).file("f.txt", "x");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "--bogus|''|Unknown option",
        "--bwlimit|fast|'fast' is not a rate",
        "--checksum|crc32|unknown checksum algorithm 'crc32'",
        "--block-size|0|--block-size must be between",
        "--block-size|2G|--block-size must be between",
        "--queue-capacity|0|--queue-capacity must be at least 1",
        "--scan-threads|0|'0' is not auto or a number of threads from 1 to 64",
        "--scan-threads|65|'65' is not auto or a number of threads from 1 to 64",
        "--scan-threads|many|'many' is not auto or a number of threads from 1 to 64",
        "--stable-for|soon|'soon' is not a duration"})
    void rejectsBadOptionsWithExit2AndCreatesNothing(String option, String value, String message) {
        String[] args = value.isEmpty()
                ? new String[] {"--db", db.toString(), option, src.toString(), dst.toString()}
                : new String[] {"--db", db.toString(), option, value, src.toString(), dst.toString()};
        Result r = Duplex.run(tmp.resolve("state"), args);
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).startsWith("duplex: ").contains(message);
        assertNothingCreated();
    }

    @Test
    void rejectsADestinationInsideTheSource() {
        Result r = Duplex.run(tmp.resolve("state"), "--db", db.toString(), src.toString(), src.resolve("copy").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("is inside SOURCE");
        assertThat(src.resolve("copy")).doesNotExist();
        assertThat(db).doesNotExist();
    }

    @Test
    void rejectsTheSourceAsDestination() {
        Result r = Duplex.run(tmp.resolve("state"), "--db", db.toString(), src.toString(), src + "/.");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("is the same directory as SOURCE");
    }

    @Test
    void rejectsASourceInsideTheDestination() {
        Result r = Duplex.run(tmp.resolve("state"), "--db", db.toString(), src.toString(), tmp.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("is inside DEST");
    }

    @Test
    void rejectsASourceThatIsAFile() {
        Result r = Duplex.run(tmp.resolve("state"), "--db", db.toString(), src.resolve("f.txt").toString(), dst.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("SOURCE must be a directory");
        assertNothingCreated();
    }

    @Test
    void aMissingSourceIsFatalAndCreatesNothing() {
        Result r = Duplex.run(tmp.resolve("state"), "--db", db.toString(), tmp.resolve("nope").toString(), dst.toString());
        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(r.err()).contains("does not exist (is the share mounted?)");
        assertNothingCreated();
    }

    @Test
    void aDestinationRootThatCannotBeCreatedIsFatal() throws IOException {
        Files.writeString(tmp.resolve("file"), "not a dir");
        Result r = Duplex.run(tmp.resolve("state"), "--db", db.toString(), src.toString(),
                tmp.resolve("file/dst").toString());
        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(r.err()).contains("cannot create destination root");
    }

    @Test
    void aCorruptDbIsFatalAndTheDestinationIsUntouched() throws IOException {
        Files.writeString(db, "this is not a database, just text long enough to look like a header..........");
        Result r = Duplex.run(tmp.resolve("state"), "--db", db.toString(), src.toString(), dst.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
        assertThat(r.err()).contains("cannot use the state db " + db);
        assertThat(dst).doesNotExist();
    }

    /**
     * Damage in a table the run reads late (symlinks, read after the files are copied) must stop the run before it
     * changes anything, not half way.
     */
    @Test
    void aDbDamagedWhereTheRunWouldReadItLateIsRefusedBeforeAnyDestinationChange() throws Exception {
        Tree.at(src).file("g.txt", "g");
        assertThat(Duplex.run(tmp.resolve("state"), "--db", db.toString(), src.toString(), dst.toString()).exitCode())
                .isZero();
        // an interrupted backlog (so the next run resumes without scanning) ...
        Db.execute(db, "UPDATE files SET status='pending', attempts=0 WHERE source_path LIKE '%g.txt'");
        Files.delete(dst.resolve("g.txt"));
        // ... and a damaged page in the links table
        long page = (Integer) Db.rows(db, "SELECT rootpage FROM sqlite_master WHERE name='links'").get(0).get("rootpage");
        long pageSize = (Integer) Db.rows(db, "PRAGMA page_size").get(0).get("page_size");
        Db.execute(db, "PRAGMA wal_checkpoint(TRUNCATE)");
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(db,
                java.nio.file.StandardOpenOption.WRITE)) {
            byte[] garbage = new byte[(int) pageSize];
            new java.util.Random(1).nextBytes(garbage);
            ch.write(java.nio.ByteBuffer.wrap(garbage), (page - 1) * pageSize);
        }
        Result r = Duplex.run(tmp.resolve("state"), "--db", db.toString(), src.toString(), dst.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
        assertThat(r.err()).contains("the state db " + db + " is damaged").contains("move the db aside");
        assertThat(dst.resolve("g.txt")).doesNotExist();
    }

    @Test
    void aDbOfAnotherJobIsRefused() {
        assertThat(Duplex.run(tmp.resolve("state"), "--db", db.toString(), src.toString(), dst.toString()).exitCode())
                .isZero();
        Result r = Duplex.run(tmp.resolve("state"), "--db", db.toString(), src.toString(), tmp.resolve("other").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("belongs to another job");
        assertThat(tmp.resolve("other")).doesNotExist();
    }

    @Test
    void aSecondRunOnALockedJobExitsWith3AndNamesTheDb() throws Exception {
        try (JobLock held = JobLock.acquire(db)) {
            Result r = Duplex.run(tmp.resolve("state"), "--db", db.toString(), src.toString(), dst.toString());
            assertThat(r.exitCode()).isEqualTo(3);
            assertThat(r.err()).contains("another duplex run is using the job db " + db);
        }
        assertThat(dst).doesNotExist();
    }

    @Test
    void withoutDbTheJobLivesInTheStateDirectory() {
        Result r = Duplex.run(tmp.resolve("state"), src.toString(), dst.toString());
        assertThat(r.exitCode()).isZero();
        assertThat(tmp.resolve("state/duplex")).isDirectoryContaining(p -> p.getFileName().toString().endsWith(".db"))
                .isDirectoryContaining(p -> p.getFileName().toString().endsWith(".audit.jsonl"));
    }

    private void assertNothingCreated() {
        assertThat(dst).doesNotExist();
        assertThat(db).doesNotExist();
        assertThat(tmp.resolve("state")).doesNotExist();
    }
}
