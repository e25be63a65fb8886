package dev.duplex.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.duplex.testing.Db;
import dev.duplex.testing.Duplex;
import dev.duplex.testing.Duplex.Result;
import dev.duplex.testing.Tree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --exclude, --include, their -from files, --min-size, --max-size, --delete-excluded: the whole tool, in-process. */
class FiltersIT {
    @TempDir
    Path tmp;
    Path src;
    Path dst;
    Path db;

    @BeforeEach
    void share() {
        src = tmp.resolve("src");
        dst = tmp.resolve("dst");
        db = tmp.resolve("job.db");
        // a share root as users have them: snapshots, Office lock files, a mix of documents
        Tree.at(src).file(".snapshot/hourly.0/report.pdf", "old report").file(".snapshot/hourly.0/notes.txt", "old")
                .file("~$budget.xlsx", "lock").file(".~lock.plan.ods#", "lock").file("budget.xlsx", "budget")
                .file("docs/report.pdf", "report").file("docs/notes.txt", "notes").file("docs/old/a.pdf", "a")
                .file("scratch/x.tmp", "tmp").dir("empty");
    }

    private Result sync(String... args) {
        List<String> all = new ArrayList<>(List.of("--db", db.toString()));
        all.addAll(List.of(args));
        all.add(src.toString());
        all.add(dst.toString());
        return Duplex.run(tmp.resolve("state"), all.toArray(String[]::new));
    }

    private List<String> destinationFiles() throws IOException {
        try (Stream<Path> s = Files.walk(dst)) {
            return s.filter(Files::isRegularFile).map(p -> dst.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void excludesSnapshotsAndOfficeLockFilesTheWayRsyncUsersWriteIt() throws IOException {
        Result r = sync("--exclude", ".snapshot/", "--exclude", "~$*", "--exclude", ".~lock.*#");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(destinationFiles()).containsExactly("budget.xlsx", "docs/notes.txt", "docs/old/a.pdf",
                "docs/report.pdf", "scratch/x.tmp");
        assertThat(dst.resolve("empty")).isDirectory();
        assertThat(r.out()).contains("left out by the filters: 2 files (8 B), 1 directory (not walked)");
        assertThat(Db.rows(db, "SELECT count(*) AS n FROM files").get(0)).containsEntry("n", 5);
    }

    @Test
    void theIncludeDirectoriesIncludePdfsExcludeEverythingIdiomCopiesOnlyPdfsAsRsyncDoes() throws IOException {
        Result r = sync("--include", "*/", "--include", "*.pdf", "--exclude", "*");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(destinationFiles()).containsExactly(".snapshot/hourly.0/report.pdf", "docs/old/a.pdf",
                "docs/report.pdf");
        assertThat(dst.resolve("scratch")).isDirectory(); // rsync creates every directory too
    }

    @Test
    void theOrderOfIncludesAndExcludesOnTheCommandLineDecides() throws IOException {
        Tree.at(src).file("scratch/keep.tmp", "keep");
        assertThat(sync("--include", "keep.tmp", "--exclude", "*.tmp").exitCode()).isZero();
        assertThat(destinationFiles()).contains("scratch/keep.tmp").doesNotContain("scratch/x.tmp");

        Path other = tmp.resolve("dst2");
        Result r = Duplex.run(tmp.resolve("state"), "--db", tmp.resolve("other.db").toString(),
                "--exclude", "*.tmp", "--include", "keep.tmp", src.toString(), other.toString());
        assertThat(r.exitCode()).isZero();
        assertThat(other.resolve("scratch/keep.tmp")).doesNotExist(); // the exclude came first and decided
    }

    @Test
    void rulesComeFromFilesWithCommentsAndBlankLines() throws IOException {
        Path rules = tmp.resolve("share.rules");
        Files.writeString(rules, "# what a share root holds that is not data\n.snapshot/\n\n~$*\n.~lock.*#\n");
        Path keep = tmp.resolve("keep.rules");
        Files.writeString(keep, "*/\n*.pdf\n");
        Result r = sync("--exclude-from", rules.toString(), "--include-from", keep.toString(), "--exclude", "*");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(destinationFiles()).containsExactly("docs/old/a.pdf", "docs/report.pdf");
    }

    @Test
    void anExcludedDirectoryIsNotWalked() throws Exception {
        // a tree deeper than the system's path limit cannot be walked: the scan reports it and the run fails
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash to build a tree deeper than PATH_MAX");
        String level = "d".repeat(200);
        Process p = new ProcessBuilder("/bin/bash", "-c", "mkdir -p .snapshot && cd .snapshot && for i in "
                + "$(seq 1 25); do mkdir " + level + " && cd " + level + "; done && echo x > f")
                .directory(src.toFile()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();

        Result walked = Duplex.run(tmp.resolve("state"), "--db", tmp.resolve("walked.db").toString(), src.toString(),
                tmp.resolve("walked").toString());
        assertThat(walked.exitCode()).as(walked.toString()).isEqualTo(1);

        try {
            Result r = sync("--exclude", ".snapshot/");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.err()).doesNotContain("cannot");
            assertThat(dst.resolve(".snapshot")).doesNotExist();
        } finally {
            // too deep for Java's file API to delete
            new ProcessBuilder("rm", "-rf", src.resolve(".snapshot").toString(), tmp.resolve("walked").toString())
                    .start().waitFor(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void sizeBoundsKeepAFileOfExactlyTheBound() throws IOException {
        Tree.at(src).randomFile("sizes/s99.bin", 99, 1).randomFile("sizes/s100.bin", 100, 2)
                .randomFile("sizes/s200.bin", 200, 3).randomFile("sizes/s201.bin", 201, 4);
        Result r = sync("--min-size", "100", "--max-size", "200", "--include", "sizes/***", "--exclude", "*");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(destinationFiles()).containsExactly("sizes/s100.bin", "sizes/s200.bin");
    }

    @Test
    void mirrorCleanupNeverDeletesWhatTheFiltersExclude() throws IOException {
        Tree.at(dst).file(".snapshot/keep-me", "dest-side snapshot").file("scratch/y.tmp", "dest-side tmp")
                .file("docs/stale.txt", "not in the source").randomFile("big-in-dest.bin", 5000, 9);
        Tree.at(src).randomFile("big-in-dest.bin", 5000, 9);
        Result r = sync("--delete-extras", "--exclude", ".snapshot/", "--exclude", "*.tmp", "--max-size", "4K");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(dst.resolve(".snapshot/keep-me")).exists();
        assertThat(dst.resolve("scratch/y.tmp")).exists();
        assertThat(dst.resolve("big-in-dest.bin")).exists(); // left out by --max-size, still in the source
        assertThat(dst.resolve("docs/stale.txt")).doesNotExist();
    }

    @Test
    void deleteExcludedDeletesExcludedDestinationEntriesWithTheirDirectories() throws IOException {
        Tree.at(dst).file(".snapshot/a/keep-me", "dest-side snapshot").file("scratch/y.tmp", "dest-side tmp")
                .randomFile("big-in-dest.bin", 5000, 9);
        Tree.at(src).randomFile("big-in-dest.bin", 5000, 9);
        Result r = sync("--delete-extras", "--delete-excluded", "--exclude", ".snapshot/", "--exclude", "*.tmp",
                "--max-size", "4K");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(dst.resolve(".snapshot")).doesNotExist();
        assertThat(dst.resolve("scratch/y.tmp")).doesNotExist();
        // the size bounds say what to copy, not what to delete (as in rsync): the copy stays
        assertThat(dst.resolve("big-in-dest.bin")).exists();
        assertThat(src.resolve(".snapshot/hourly.0/report.pdf")).exists(); // the source is never touched
        assertThat(destinationFiles()).contains("budget.xlsx", "docs/report.pdf");
    }

    @Test
    void aFileWhereTheSourceHasAnExcludedDirectoryIsAnExtraAsInRsync() throws IOException {
        Tree.at(src).file("x/inside.txt", "in an excluded directory");
        Tree.at(dst).file("x", "a file where the source has a directory");
        Result r = sync("--delete-extras", "--exclude", "x/");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(dst.resolve("x")).doesNotExist();
        assertThat(r.err()).doesNotContain("kept");
    }

    @Test
    void aPatternStartingWithAnAtSignIsAPatternNotAnArgumentFile() throws IOException {
        Tree.at(src).file("@eaDir/thumb.jpg", "nas metadata").dir("eaDir");
        Files.writeString(src.resolve("ea"), "--delete-extras");
        Result r = Duplex.run(tmp.resolve("state"), "--db", db.toString(), "--exclude", "@eaDir", src.toString(),
                dst.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(dst.resolve("@eaDir")).doesNotExist();
        assertThat(dst.resolve("budget.xlsx")).exists();
    }

    @Test
    void deleteExcludedWithoutDeleteExtrasIsAUsageError() {
        Result r = sync("--delete-excluded", "--exclude", "*.tmp");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--delete-excluded").contains("--delete-extras");
        assertThat(dst).doesNotExist();
    }

    @Test
    void badFilterInputIsAUsageErrorThatChangesNothing() {
        assertThat(sync("--exclude", "a[b").err()).contains("'a[b'");
        assertThat(sync("--exclude", "a[b").exitCode()).isEqualTo(2);
        Result crossed = sync("--min-size", "2M", "--max-size", "1M");
        assertThat(crossed.exitCode()).isEqualTo(2);
        assertThat(crossed.err()).contains("--min-size").contains("--max-size");
        Result missing = sync("--exclude-from", tmp.resolve("no-such.rules").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("--exclude-from").contains("no-such.rules");
        assertThat(dst).doesNotExist();
        assertThat(db).doesNotExist();
    }

    @Test
    void aBacklogScannedWithOtherFiltersIsScannedAgainInsteadOfResumed() throws IOException {
        assertThat(sync("--exclude", "*.pdf").exitCode()).isZero();
        // an interrupted run's backlog: everything pending, never tried
        Files.walk(dst).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        Db.execute(db, "UPDATE files SET status='pending', attempts=0");

        Result same = sync("--exclude", "*.pdf", "--dry-run");
        assertThat(same.out()).contains("would resume the backlog");
        Result other = sync("--exclude", "*.txt");
        assertThat(other.exitCode()).as(other.toString()).isZero();
        assertThat(other.out()).contains("the filters differ from the ones the backlog was scanned with")
                .doesNotContain("resuming");
        assertThat(destinationFiles()).contains("docs/report.pdf").doesNotContain("docs/notes.txt");
        assertThat(Db.rows(db, "SELECT value FROM job WHERE key='filters'").get(0))
                .containsEntry("value", "--exclude '*.txt'");
    }

    @Test
    void aDryRunCountsWhatTheFiltersLeaveOutAndChangesNothing() {
        Result r = sync("--dry-run", "--exclude", ".snapshot/", "--max-size", "5");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("left out by the filters: 2 files (12 B), 1 directory (not walked)")
                .contains("copy docs/old/a.pdf");
        assertThat(dst).doesNotExist();
        assertThat(db).doesNotExist();
    }

    @Test
    void statusShowsTheJobsFiltersAndFileSystems() {
        assertThat(sync("--exclude", ".snapshot/", "--min-size", "1K").exitCode()).isZero();
        Result status = Duplex.run(tmp.resolve("state"), "status", "--db", db.toString());
        assertThat(status.out()).contains("filters:  --exclude '.snapshot/' --min-size 1024")
                .containsPattern("file systems \\(the mount guard's record\\):\n  source .*\n  dest   .*\n");
        Result json = Duplex.run(tmp.resolve("state"), "status", "--json", "--db", db.toString());
        assertThat(json.out()).contains("\"filters\":\"--exclude '.snapshot/' --min-size 1024\"")
                .contains("\"file_systems\":{\"source\":");
    }

    @Test
    void filtersComeFromAConfigFileAsArraysInTheFilesOrder() throws IOException {
        Path config = writeConfig("include = [\"*/\", \"*.pdf\"]", "exclude = [\"*\"]");
        Result r = Duplex.run(tmp.resolve("state"), "--config", config.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        // the includes come first in the file, so (as rsync would) the snapshot's directories are included too
        assertThat(destinationFiles()).containsExactly(".snapshot/hourly.0/report.pdf", "docs/old/a.pdf",
                "docs/report.pdf");
        Result status = Duplex.run(tmp.resolve("state"), "status", "--config", config.toString());
        assertThat(status.out()).contains("filters:  --include '*/' --include '*.pdf' --exclude '*'");
    }

    @Test
    void oneConfigArrayMixesIncludesAndExcludesWithRsyncsPrefixes() throws IOException {
        Path config = writeConfig("exclude = [\".snapshot/\", \"+ */\", \"+ *.pdf\", \"*\"]");
        Result r = Duplex.run(tmp.resolve("state"), "--config", config.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(destinationFiles()).containsExactly("docs/old/a.pdf", "docs/report.pdf");
    }

    @Test
    void theCommandLinesRulesComeBeforeTheConfigFilesAndReplaceTheSameKey() throws IOException {
        Path config = writeConfig("exclude = [\"*.pdf\"]", "include = [\"*\"]");
        Result r = Duplex.run(tmp.resolve("state"), "--config", config.toString(), "--include", "report.pdf");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(destinationFiles()).contains("docs/report.pdf").doesNotContain("docs/old/a.pdf");
        Result cli = Duplex.run(tmp.resolve("state"), "--config", config.toString(), "--rescan", "--exclude", "*.txt");
        assertThat(cli.exitCode()).isZero();
        assertThat(Db.rows(db, "SELECT value FROM job WHERE key='filters'").get(0))
                .containsEntry("value", "--exclude '*.txt' --include '*'"); // the file's include is kept, after
    }

    @Test
    void aBadRuleInAConfigFileNamesTheFileAndTheKeyAndRuleFilesAreFoundBesideIt() throws IOException {
        Path bad = writeConfig("exclude = [\"[abc\"]");
        Result r = Duplex.run(tmp.resolve("state"), "--config", bad.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("config file " + bad).contains("exclude: ").contains("'[abc'");

        Path confDir = Files.createDirectories(tmp.resolve("conf"));
        Files.writeString(confDir.resolve("share.rules"), "\uFEFF.snapshot/\n~$*\n");
        Path config = confDir.resolve("job.toml");
        Files.writeString(config, "source = \"" + src + "\"\ndest = \"" + dst + "\"\ndb = \"" + db + "\"\n"
                + "exclude-from = [\"share.rules\"]\n");
        Result ok = Duplex.run(tmp.resolve("state"), "--config", config.toString());
        assertThat(ok.exitCode()).as(ok.toString()).isZero();
        assertThat(dst.resolve(".snapshot")).doesNotExist();
        assertThat(dst.resolve("~$budget.xlsx")).doesNotExist();
    }

    private Path writeConfig(String... lines) throws IOException {
        Path config = tmp.resolve("job.toml");
        List<String> all = new ArrayList<>(List.of("source = \"" + src + "\"", "dest = \"" + dst + "\"",
                "db = \"" + db + "\""));
        all.addAll(List.of(lines));
        Files.writeString(config, String.join("\n", all) + "\n", StandardCharsets.UTF_8);
        return config;
    }

    @Test
    void aConfigFileArrayForAnOptionThatTakesOneValueIsRefused() throws IOException {
        Path config = tmp.resolve("job.toml");
        Files.writeString(config, "bwlimit = [\"1M\"]\n");
        Result r = Duplex.run(tmp.resolve("state"), "--config", config.toString(), src.toString(), dst.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("bwlimit must be a string, number or boolean");
    }
}
