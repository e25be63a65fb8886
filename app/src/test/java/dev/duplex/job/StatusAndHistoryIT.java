package dev.duplex.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.testing.Db;
import dev.duplex.testing.Duplex;
import dev.duplex.testing.Duplex.Result;
import dev.duplex.testing.Tree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** status and history, in-process, before and after runs that succeed, fail files and stop fatally. */
class StatusAndHistoryIT {
    @TempDir
    Path tmp;
    Path src;
    Path dst;
    Path db;

    @BeforeEach
    void trees() {
        src = tmp.resolve("src");
        dst = tmp.resolve("dst");
        db = tmp.resolve("job.db");
        Tree.at(src).file("a.txt", "aaa").randomFile("big.bin", 200_000, 1).file("blocked/f.txt", "f");
    }

    private Result duplex(String... args) {
        return Duplex.run(tmp.resolve("state"), args);
    }

    private Result sync(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("--db", db.toString()));
        args.addAll(List.of(extra));
        args.add(src.toString());
        args.add(dst.toString());
        return duplex(args.toArray(String[]::new));
    }

    /**
     * A symlink where the source has a directory: duplex never writes through it, so every file below it fails on
     * the destination (exit 1). (A regular file there would be replaced by the directory.)
     */
    private void blockDestination() {
        try {
            if (Files.isDirectory(dst.resolve("blocked"), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(dst.resolve("blocked/f.txt"));
                Files.delete(dst.resolve("blocked"));
            }
            Files.createDirectories(dst);
            Files.createSymbolicLink(dst.resolve("blocked"), Files.createDirectories(tmp.resolve("elsewhere")));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void statusBeforeAnyRunSaysSoWithoutCreatingTheDb() {
        Result r = duplex("status", "--db", db.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("no job db at " + db).contains("has not run yet");
        assertThat(db).doesNotExist();
        Result json = duplex("status", "--json", src.toString(), dst.toString());
        assertThat(json.out()).contains("\"exists\":false");
        assertThat(tmp.resolve("state")).doesNotExist();
    }

    @Test
    void statusAfterARunShowsCountsAndTheLastRun() {
        assertThat(sync().exitCode()).isZero();
        Result r = duplex("status", "--db", db.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("job:      " + src + " -> " + dst).contains("synced:   3 files")
                .contains("pending:  0 files").containsPattern("last run: #1 started .*: exit 0 \\(synced\\), copied 3");
    }

    @Test
    void statusFindsTheDefaultDbFromTheSamePathsAsTheSync() {
        assertThat(duplex(src.toString(), dst.toString()).exitCode()).isZero();
        Result r = duplex("status", src.toString(), dst.toString());
        assertThat(r.out()).contains("synced:   3 files");
    }

    @Test
    void statusListsFailingFilesWithTheirErrorAndTheLargestPending() {
        blockDestination();
        assertThat(sync().exitCode()).isEqualTo(1);
        Result r = duplex("status", "--db", db.toString());
        assertThat(r.out()).contains("pending:  1 files (1 B), of which 1 files (1 B) failed at least once")
                .contains("exit 1 (files_failed)").contains("largest pending:")
                .contains("failing files (last error):").contains(src.resolve("blocked/f.txt") + ": ")
                .contains("(1 attempt)");
    }

    @Test
    void statusJsonCarriesTheSameFacts() {
        blockDestination();
        sync();
        Result r = duplex("status", "--json", "--db", db.toString());
        assertThat(r.exitCode()).isZero();
        assertThat(r.out().trim()).startsWith("{").endsWith("}")
                .contains("\"synced\":{\"files\":2,\"bytes\":200003}")
                .contains("\"pending\":{\"files\":1,\"bytes\":1}")
                .contains("\"last_run_state\":\"ended\"")
                .contains("\"exit_code\":1,\"files_copied\":2")
                .contains("\"failing_files\":[{\"path\":\"" + src.resolve("blocked/f.txt") + "\",\"size\":1,\"attempts\":1,\"error\":\"");
    }

    @Test
    void aRunWithoutARecordedEndWhoseProcessIsGoneIsShownAsVanished() {
        sync();
        Db.execute(db, "UPDATE runs SET ended=NULL, pid=2147483646");
        Result r = duplex("status", "--db", db.toString());
        assertThat(r.out()).contains("did not record its end (pid 2147483646 is gone");
        assertThat(duplex("status", "--json", "--db", db.toString()).out()).contains("\"last_run_state\":\"vanished\"");
    }

    @Test
    void statusReadsWhileARunHoldsTheLock() throws Exception {
        sync();
        try (JobLock held = JobLock.acquire(db)) {
            Result r = duplex("status", "--db", db.toString());
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.out()).contains("synced:   3 files");
        }
    }

    @Test
    void everyRunIsRecordedWithOutcomeCountsAndExitCode() {
        assertThat(sync().exitCode()).isZero();
        blockDestination();
        Tree.at(src).file("new.txt", "new");
        assertThat(sync().exitCode()).isEqualTo(1);
        List<Map<String, Object>> runs = Db.rows(db, "SELECT * FROM runs ORDER BY id");
        assertThat(runs).hasSize(2);
        assertThat(runs.get(0)).containsEntry("outcome", "synced").containsEntry("exit_code", 0)
                .containsEntry("files_copied", 3).containsEntry("bytes_copied", 200_004)
                .containsEntry("pending_files", 0).containsEntry("pid", (int) ProcessHandle.current().pid());
        assertThat((String) runs.get(0).get("options")).contains("--checksum sha256").endsWith(src + " " + dst);
        assertThat(runs.get(0).get("ended")).isNotNull();
        assertThat((Double) runs.get(0).get("average_bytes_per_second")).isPositive();
        assertThat(runs.get(1)).containsEntry("outcome", "files_failed").containsEntry("exit_code", 1)
                .containsEntry("files_copied", 1).containsEntry("pending_files", 1);
    }

    @Test
    void aRunStoppedByAFatalErrorRecordsItsExitCodeAndMessage() throws IOException {
        blockDestination();
        Tree.at(src).file("blocked/g.txt", "g");
        Result r = sync("--max-dest-failures", "1");
        assertThat(r.exitCode()).isEqualTo(4);
        Map<String, Object> run = Db.rows(db, "SELECT * FROM runs").get(0);
        assertThat(run).containsEntry("outcome", "fatal").containsEntry("exit_code", 4);
        assertThat((String) run.get("error")).startsWith("stopping: 1 files in a row failed on the destination");
        assertThat(run.get("ended")).isNotNull();
    }

    @Test
    void dryRunsAreNotRecorded() {
        sync();
        sync("--dry-run");
        assertThat(Db.rows(db, "SELECT * FROM runs")).hasSize(1);
    }

    @Test
    void historyListsRunsNewestFirst() {
        sync();
        blockDestination();
        sync();
        Result r = duplex("history", "--db", db.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        String[] lines = r.out().split("\n");
        assertThat(lines[0]).contains("run").contains("exit").contains("outcome");
        assertThat(lines[1]).matches("\\s+2 .* 1  files_failed .*");
        assertThat(lines[2]).matches("\\s+1 .* 0  synced .*");
        Result json = duplex("history", "--json", "--limit", "1", "--db", db.toString());
        assertThat(json.out()).startsWith("{\"runs\":[{\"id\":2,").doesNotContain("\"id\":1,");
    }

    @Test
    void historyOfAMissingDbIsFatal() {
        Result r = duplex("history", "--db", db.toString());
        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(r.err()).contains("no job db at " + db);
        assertThat(db).doesNotExist();
    }

    @Test
    void aCommandWithoutAJobIsAUsageError() {
        Result r = duplex("status");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("name the job: --db PATH, or SOURCE DEST [DEST2]")
                .contains("Try 'duplex status --help'");
    }
}
