package dev.duplex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.testing.Db;
import dev.duplex.testing.Duplex;
import dev.duplex.testing.Duplex.Result;
import dev.duplex.testing.Tree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --json-summary, --stats-file, -q and -v through Main's entry, on real trees. */
class UnattendedRunIT {
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
        Tree.at(src).file("a.txt", "aaa").randomFile("b.bin", 100_000, 2);
    }

    private Result duplex(String... args) {
        return Duplex.run(tmp.resolve("state"), args);
    }

    @Test
    void jsonSummaryHasTheOutcomeAndTheCounts() throws IOException {
        Path json = tmp.resolve("out/summary.json");
        Result r = duplex("--db", db.toString(), "--json-summary", json.toString(), src.toString(), dst.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        String s = Files.readString(json);
        assertThat(s).startsWith("{\"version\":\"").endsWith("}\n")
                .contains("\"outcome\":\"synced\",\"exit_code\":0")
                .contains("\"source\":\"" + src + "\",\"dest\":\"" + dst + "\",\"db\":\"" + db + "\"")
                .contains("\"files_copied\":2,\"bytes_copied\":100003,\"files_skipped\":0,\"files_failed\":0")
                .contains("\"pending_files\":0").contains("\"bytes_written\":[100003]").doesNotContain("\"error\"");
        try (Stream<Path> left = Files.list(json.getParent())) {
            assertThat(left).as("no temp file is left beside it").containsExactly(json);
        }
    }

    @Test
    void jsonSummaryIsWrittenForARunThatStopsWithAnError() throws IOException {
        Path json = tmp.resolve("summary.json");
        Files.writeString(tmp.resolve("file"), "not a directory");
        Result r = duplex("--db", db.toString(), "--json-summary", json.toString(), src.toString(),
                tmp.resolve("file/dst").toString());
        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(Files.readString(json)).contains("\"outcome\":\"fatal\",\"exit_code\":4")
                .contains("\"error\":\"cannot create destination root").doesNotContain("files_copied");
    }

    @Test
    void jsonSummaryOfALockedRunSaysLocked() throws Exception {
        Path json = tmp.resolve("summary.json");
        Files.writeString(tmp.resolve("job.db.lock"), "");
        try (var channel = java.nio.channels.FileChannel.open(tmp.resolve("job.db.lock"),
                java.nio.file.StandardOpenOption.WRITE); var lock = channel.lock()) {
            Result r = duplex("--db", db.toString(), "--json-summary", json.toString(), src.toString(), dst.toString());
            assertThat(r.exitCode()).isEqualTo(3);
        }
        assertThat(Files.readString(json)).contains("\"outcome\":\"locked\",\"exit_code\":3");
    }

    @Test
    void statsFileHasTheFinalCountersInPrometheusFormat() throws IOException {
        Path prom = tmp.resolve("textfile/duplex.prom");
        Result r = duplex("--db", db.toString(), "--stats-file", prom.toString(), src.toString(), dst.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<String> lines = Files.readAllLines(prom);
        String job = "{duplex_job=\"job.db\"}";
        assertThat(lines).contains("duplex_running" + job + " 0", "duplex_exit_code" + job + " 0",
                "duplex_files_copied_total" + job + " 2", "duplex_bytes_copied_total" + job + " 100003",
                "duplex_files_failed_total" + job + " 0", "duplex_pending_files" + job + " 0",
                "duplex_bytes_written_total{duplex_job=\"job.db\",destination=\"dest\",path=\"" + dst + "\"} 100003",
                "# TYPE duplex_bytes_read_total counter", "# TYPE duplex_queue_depth gauge");
        assertThat(lines).allMatch(l -> l.startsWith("# HELP ") || l.startsWith("# TYPE ")
                || l.matches("duplex_[a-z_]+\\{[^}]*\\} -?[0-9.]+"));
        try (Stream<Path> left = Files.list(prom.getParent())) {
            assertThat(left).containsExactly(prom);
        }
    }

    @Test
    void quietPrintsNoNoticesButTheSummaryAndFailures() throws java.io.IOException {
        Tree.at(src).file("blocked/f.txt", "f");
        Files.createDirectories(dst); // a symlinked destination directory is never written through: f.txt fails
        Files.createSymbolicLink(dst.resolve("blocked"), Files.createDirectories(tmp.resolve("elsewhere")));
        Result r = duplex("-q", "--db", db.toString(), src.toString(), dst.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).doesNotContain("scanning").doesNotContain("scan done").contains("copied 2 files");
        assertThat(r.err()).contains("failed: " + src.resolve("blocked/f.txt"));
    }

    @Test
    void verboseWritesDebugDetailToTheDiagnosticLogOnly() throws IOException {
        Result r = duplex("-vv", "--db", db.toString(), src.toString(), dst.toString());
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("scan done").doesNotContain("DEBUG");
        assertThat(tmp.resolve("job.log")).exists();
    }

    @Test
    void aZeroStatsIntervalIsAUsageError() {
        Result r = duplex("--stats-interval", "0", "--db", db.toString(), src.toString(), dst.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--stats-interval must be longer than 0");
        assertThat(db).doesNotExist();
    }

    @Test
    void aSubcommandNameIsACommandOnlyAsTheFirstArgument() throws IOException {
        Path status = Files.createDirectories(tmp.resolve("status"));
        Tree.at(status).file("s.txt", "s");
        // "./status" style: a path, not the command
        Result dotted = duplex("--db", db.toString(), status.toString(), dst.toString());
        assertThat(dotted.exitCode()).as(dotted.toString()).isZero();
        assertThat(dst.resolve("s.txt")).hasContent("s");
        // after "--" even the bare word is a path (as SOURCE it would be relative to the working directory)
        Result afterDashes = duplex("--db", tmp.resolve("x.db").toString(), "--", "status", dst.toString());
        assertThat(afterDashes.exitCode()).isEqualTo(4);
        assertThat(afterDashes.err()).contains("status").contains("does not exist");
        assertThat(Db.rows(db, "SELECT count(*) AS n FROM runs").get(0)).containsEntry("n", 1);
    }
}
