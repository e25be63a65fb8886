package dev.duplex.job;

import static dev.duplex.testing.Duplex.withDb;
import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.testing.Audit;
import dev.duplex.testing.Db;
import dev.duplex.testing.Duplex;
import dev.duplex.testing.Duplex.Result;
import dev.duplex.testing.Tree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole tool, in-process through Main's entry, on real trees under a temp dir. */
class SyncIT {
    @TempDir
    Path tmp;
    Path src;
    Path dst;
    Path db;
    Path audit;

    @BeforeEach
    void trees() {
        src = tmp.resolve("src");
        dst = tmp.resolve("dst");
        db = tmp.resolve("job.db");
        audit = tmp.resolve("job.audit.jsonl");
        Tree.at(src).file("a/b/deep.txt", "deep").file("top.txt", "top").file("empty.bin", new byte[0], Tree.T0)
                .randomFile("big.bin", 3 * 1024 * 1024 + 17, 1).file("sp ace/ünï 文件.txt", "unicode")
                .dir("empty-dir/nested");
    }

    private Result sync(String... args) {
        return Duplex.run(tmp.resolve("state"), withDb(tmp, concat(args, src.toString(), dst.toString())));
    }

    private static String[] concat(String[] a, String... b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    @Test
    void copiesTheTreeWithContentMtimesAndEmptyDirectories() {
        Result r = sync();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Tree.assertSameTree(src, dst);
        assertThat(r.out()).contains("scan done: 5 files").contains("copied 5 files");
    }

    @Test
    void recordsEveryFileSyncedWithItsSha256InDbAndAuditLog() throws Exception {
        sync();
        List<Map<String, Object>> rows = Db.rows(db, "SELECT source_path, hash, status, algo FROM files");
        assertThat(rows).hasSize(5).allSatisfy(row -> {
            assertThat(row.get("status")).isEqualTo("synced");
            assertThat(row.get("algo")).isEqualTo("sha256");
            assertThat(row.get("hash")).isEqualTo(sha256(Path.of((String) row.get("source_path"))));
        });
        List<Map<String, String>> lines = Audit.lines(audit);
        assertThat(lines).hasSize(5).allSatisfy(l -> {
            assertThat(l.get("event")).isEqualTo("synced");
            assertThat(l.get("hash")).isEqualTo(sha256(Path.of(l.get("source"))));
            assertThat(l).containsKeys("time", "dest", "size", "algo");
        });
    }

    @Test
    void secondRunScansAgainAndCopiesNothing() {
        sync();
        Result again = sync();
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).contains("5 up to date").contains("copied 0 files");
        assertThat(Audit.lines(audit)).hasSize(5);
    }

    @Test
    void recopiesUpdatedAndTruncatedFilesOnly() throws Exception {
        sync();
        Instant later = Tree.T0.plusSeconds(60);
        Tree.at(src).file("top.txt", "top, but longer now".getBytes(StandardCharsets.UTF_8), later)
                .file("big.bin", "tiny".getBytes(StandardCharsets.UTF_8), later);
        Result r = sync();
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("copied 2 files");
        Tree.assertSameTree(src, dst);
        assertThat(Files.size(dst.resolve("big.bin"))).isEqualTo(4);
        assertThat(Audit.lines(audit)).hasSize(7);
    }

    @Test
    void keepsTheStoredHashOfUnchangedFilesOnRescan() {
        sync();
        Object before = Db.rows(db, "SELECT hash FROM files WHERE source_path LIKE '%top.txt'").get(0).get("hash");
        sync("--rescan");
        assertThat(Db.rows(db, "SELECT hash FROM files WHERE source_path LIKE '%top.txt'").get(0).get("hash"))
                .isNotNull().isEqualTo(before);
    }

    @Test
    void leavesExtraDestinationFilesAloneByDefault() {
        Tree.at(dst).file("extra.txt", "keep me");
        assertThat(sync().exitCode()).isZero();
        assertThat(dst.resolve("extra.txt")).exists();
    }

    @Test
    void deleteExtrasRemovesFilesAndDirectoriesAbsentFromSource() {
        Tree.at(dst).file("extra.txt", "x").file("old/dir/f.txt", "x");
        Result r = sync("--delete-extras");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Tree.assertSameTree(src, dst);
        assertThat(Audit.lines(audit).stream().filter(l -> l.get("event").equals("deleted")).map(l -> l.get("dest")))
                .containsExactlyInAnyOrder(dst.resolve("extra.txt").toString(), dst.resolve("old/dir/f.txt").toString(),
                        dst.resolve("old/dir").toString(), dst.resolve("old").toString());
    }

    @Test
    void dryRunOfANewJobCreatesNeitherDestinationNorDb() {
        Result r = sync("--dry-run");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("dry run: nothing will be changed").contains("copy top.txt (3 B)")
                .contains("would copy 5 files");
        assertThat(dst).doesNotExist();
        assertThat(db).doesNotExist();
        assertThat(audit).doesNotExist();
    }

    @Test
    void dryRunWithDeleteExtrasListsDeletesAndKeepsThem() {
        Tree.at(dst).file("extra.txt", "x");
        Result r = sync("--dry-run", "--delete-extras");
        assertThat(r.out()).contains("delete " + dst.resolve("extra.txt")).contains("would delete 1 extras");
        assertThat(dst.resolve("extra.txt")).exists();
        assertThat(dst.resolve("top.txt")).doesNotExist();
    }

    @Test
    void resumesAnInterruptedBacklogWithoutScanningAndRemovesItsTempFile() throws IOException {
        sync();
        // what a killed run leaves: rows pending, a partial temp file, no final file
        Db.execute(db, "UPDATE files SET status='pending', hash=NULL WHERE source_path LIKE '%big.bin'");
        Files.delete(dst.resolve("big.bin"));
        Path temp = dev.duplex.tree.TempName.forFinal(dst.resolve("big.bin"));
        Files.write(temp, new byte[] {1, 2, 3});
        Result r = sync();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("resuming 1 files").doesNotContain("scanning");
        assertThat(temp).doesNotExist();
        Tree.assertSameTree(src, dst);
    }

    @Test
    void aFileThatVanishesBeforeItsTurnLeavesTheBacklogWithAnAuditLine() throws IOException {
        sync();
        Db.execute(db, "UPDATE files SET status='pending' WHERE source_path LIKE '%top.txt' OR source_path LIKE '%deep.txt'");
        Files.delete(src.resolve("top.txt"));
        Files.delete(dst.resolve("a/b/deep.txt"));
        Result r = sync();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("vanished from the source: " + src.resolve("top.txt"));
        assertThat(dst.resolve("a/b/deep.txt")).hasContent("deep");
        assertThat(Db.rows(db, "SELECT * FROM files WHERE source_path LIKE '%top.txt'")).isEmpty();
        assertThat(Audit.lines(audit)).anySatisfy(l -> {
            assertThat(l.get("event")).isEqualTo("vanished");
            assertThat(l.get("source")).isEqualTo(src.resolve("top.txt").toString());
        });
    }

    @Test
    void aFileThatCannotBeReadFailsStaysPendingAndTheOthersAreCopied() throws IOException {
        sync();
        Db.execute(db, "UPDATE files SET status='pending' WHERE source_path LIKE '%top.txt' OR source_path LIKE '%deep.txt'");
        Files.delete(src.resolve("top.txt"));
        Files.createDirectories(src.resolve("top.txt")); // not a file any more
        Files.delete(dst.resolve("a/b/deep.txt"));
        Result r = sync();
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("failed: " + src.resolve("top.txt")).contains("no longer a regular file");
        assertThat(dst.resolve("a/b/deep.txt")).hasContent("deep");
        assertThat(Db.rows(db, "SELECT status, error, attempts FROM files WHERE source_path LIKE '%top.txt'").get(0))
                .containsEntry("status", "pending").containsEntry("attempts", 1);
        assertThat(Audit.lines(audit)).anySatisfy(l -> {
            assertThat(l.get("event")).isEqualTo("failed");
            assertThat(l.get("error")).contains("no longer a regular file");
        });
    }

    @Test
    void aBacklogOfOnlyFailedFilesIsRescannedNotResumed() throws IOException {
        sync();
        Db.execute(db, "UPDATE files SET status='pending' WHERE source_path LIKE '%top.txt'");
        Files.delete(src.resolve("top.txt"));
        Files.createDirectories(src.resolve("top.txt"));
        assertThat(sync().exitCode()).isEqualTo(1);
        Result next = sync();
        assertThat(next.out()).contains("scanning").doesNotContain("resuming");
        assertThat(next.exitCode()).isZero();
        assertThat(Db.rows(db, "SELECT * FROM files WHERE source_path LIKE '%top.txt'")).isEmpty();
    }

    @Test
    void manyDestinationFailuresInARowStopTheRunWithExit4() throws IOException {
        Tree t = Tree.at(src);
        for (int i = 0; i < 6; i++) {
            t.file("blocked/f" + i + ".txt", "x" + i);
        }
        Files.createDirectories(dst);
        Files.createSymbolicLink(dst.resolve("blocked"), Files.createDirectories(tmp.resolve("elsewhere")));
        Result r = sync("--max-dest-failures", "3");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
        assertThat(r.err()).contains("stopping: 3 files in a row failed on the destination");
        assertThat(Db.rows(db, "SELECT * FROM files WHERE status='pending'")).hasSizeGreaterThanOrEqualTo(6);
    }

    @Test
    void deleteExtrasRefusesWhenTheSourceIsEmpty() throws IOException {
        sync();
        Path empty = Files.createDirectories(tmp.resolve("empty-src"));
        Result r = Duplex.run(tmp.resolve("state"), "--db", tmp.resolve("e.db").toString(), "--delete-extras",
                empty.toString(), dst.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("the source root " + empty + " is empty");
        Tree.assertSameTree(src, dst);
        Result allowed = Duplex.run(tmp.resolve("state"), "--db", tmp.resolve("e.db").toString(), "--delete-extras",
                "--allow-empty-source", empty.toString(), dst.toString());
        assertThat(allowed.exitCode()).as(allowed.toString()).isZero();
        assertThat(Tree.snapshot(dst)).isEmpty();
    }

    @Test
    void maxDeleteRefusesACleanupLargerThanTheCap() {
        Tree.at(dst).file("x1", "x").file("x2", "x").file("x3", "x");
        Result r = sync("--delete-extras", "--max-delete", "2");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("3 entries would be deleted, more than --max-delete 2");
        assertThat(dst.resolve("x1")).exists();
        assertThat(sync("--delete-extras", "--max-delete", "3").exitCode()).isZero();
        assertThat(dst.resolve("x1")).doesNotExist();
    }

    @Test
    void neverWritesThroughADestinationDirectoryThatIsASymlink() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.createDirectories(dst);
        Files.createSymbolicLink(dst.resolve("a"), outside);
        Result r = sync();
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("is a symlink; not writing through it");
        assertThat(outside).isEmptyDirectory();
        assertThat(dst.resolve("top.txt")).hasContent("top");
    }

    @Test
    void withDeleteExtrasASymlinkWhereTheSourceHasADirectoryIsReplacedByTheDirectory() throws IOException {
        // found by review: the link was kept with --delete-extras too, and every file below it failed on every run
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("keep.txt"), "not ours");
        Files.createDirectories(dst);
        Files.createSymbolicLink(dst.resolve("a"), outside);
        Result r = sync("--delete-extras");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Tree.assertSameTree(src, dst);
        assertThat(outside.resolve("keep.txt")).hasContent("not ours"); // the link went, not what it pointed to
    }

    @Test
    void aDestinationWriteFailureLeavesNoFinalNameAndTheOtherFilesAreCopied() throws IOException {
        Files.createDirectories(dst);
        Files.createSymbolicLink(dst.resolve("a"), Files.createDirectories(tmp.resolve("elsewhere")));
        Result r = sync();
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("failed: " + src.resolve("a/b/deep.txt"));
        assertThat(dst.resolve("top.txt")).hasContent("top");
        try (Stream<Path> s = Files.walk(dst)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".duplex-tmp"));
        }
    }

    @Test
    void aFileThatBecameADirectoryAndADirectoryThatBecameAFileAreReplacedInOneRun() throws IOException {
        assertThat(sync().exitCode()).isZero();
        Files.delete(src.resolve("top.txt"));
        Tree.at(src).file("top.txt/now-a-dir.txt", "inside");
        Files.delete(src.resolve("a/b/deep.txt"));
        Files.delete(src.resolve("a/b"));
        Tree.at(src).file("a/b", "now a file");
        Files.delete(src.resolve("empty-dir/nested"));
        Tree.at(src).file("empty-dir/nested", "was an empty dir");
        Result plan = sync("--delete-extras", "--dry-run");
        assertThat(plan.out()).contains("replace " + dst.resolve("top.txt") + " (a file where the source now has a "
                + "directory)").contains("replace " + dst.resolve("a/b") + " (a directory where the source now has");
        assertThat(dst.resolve("top.txt")).isRegularFile();
        Result r = sync("--delete-extras");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Tree.assertSameTree(src, dst);
        assertThat(Audit.lines(audit)).anySatisfy(l -> assertThat(l).containsEntry("event", "deleted")
                .containsEntry("dest", dst.resolve("top.txt").toString()));
    }

    @Test
    void aDirectoryInTheWayOfAFileIsDeletedOnlyWithinMaxDelete() throws IOException {
        Tree.at(dst).file("top.txt/x1", "x").file("top.txt/x2", "x").file("top.txt/x3", "x");
        Result capped = sync("--delete-extras", "--max-delete", "3");
        assertThat(capped.exitCode()).as(capped.toString()).isEqualTo(1);
        assertThat(capped.err()).contains("deleting it would remove 4 entries, more than --max-delete 3");
        assertThat(dst.resolve("top.txt/x1")).exists();
        Result allowed = sync("--delete-extras", "--max-delete", "4");
        assertThat(allowed.exitCode()).as(allowed.toString()).isZero();
        Tree.assertSameTree(src, dst);
    }

    @Test
    void withoutDeleteExtrasADirectoryWithContentInTheWayOfAFileIsKeptAndTheFileFailsSayingWhy() throws IOException {
        assertThat(sync().exitCode()).isZero();
        Files.delete(src.resolve("a/b/deep.txt"));
        Files.delete(src.resolve("a/b"));
        Tree.at(src).file("a/b", "now a file");
        Files.delete(src.resolve("top.txt"));
        Tree.at(src).file("top.txt/now-a-dir.txt", "inside"); // a file in the way of a directory: replaced
        Result r = sync();
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("kept " + dst.resolve("a/b") + ": it is a directory with content where the "
                + "source has a file; --delete-extras replaces it");
        assertThat(dst.resolve("a/b/deep.txt")).hasContent("deep");
        assertThat(dst.resolve("top.txt/now-a-dir.txt")).hasContent("inside");
    }

    @Test
    void theScanRemovesTempFilesLeftByAnInterruptedRun() throws IOException {
        Path leftover = Tree.at(dst).file("a/.gone.bin.0000abcd.duplex-tmp", "partial").path("a/.gone.bin.0000abcd.duplex-tmp");
        Result r = sync();
        assertThat(r.out()).contains("removed 1 leftover temp files");
        assertThat(leftover).doesNotExist();
        Tree.assertSameTree(src, dst);
    }

    @Test
    void aBandwidthLimitedRunCopiesTheSameBytes() {
        Result r = sync("--bwlimit", "20M");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Tree.assertSameTree(src, dst);
    }

    @Test
    void copiesMultiBlockFilesThroughATinyQueueAndBlocks() {
        Result r = sync("--block-size", "1K", "--queue-capacity", "1");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Tree.assertSameTree(src, dst);
    }

    /** --mmap never reads large files into buffers, always maps them: the same copies and the same stored hashes. */
    @Test
    void readingAndMappingTheSourceCopyTheSameBytesAndStoreTheSameHashes() {
        Map<String, List<Map<String, Object>>> hashes = new java.util.HashMap<>();
        for (String mode : new String[] {"never", "always"}) {
            Path d = tmp.resolve("dst-" + mode);
            Path jobDb = tmp.resolve(mode + ".db");
            Result r = Duplex.run(tmp.resolve("state"), "--db", jobDb.toString(), "--mmap", mode, "--block-size", "1M",
                    src.toString(), d.toString());
            assertThat(r.exitCode()).as(r.toString()).isZero();
            Tree.assertSameTree(src, d);
            hashes.put(mode, Db.rows(jobDb, "SELECT substr(source_path, length('" + src + "') + 1) AS f, hash "
                    + "FROM files ORDER BY f"));
        }
        assertThat(hashes.get("always")).hasSize(5).isEqualTo(hashes.get("never"));
    }

    @Test
    void verifyRereadsTempFilesAndStillCommits() {
        Result r = sync("--verify", "--fsync");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Tree.assertSameTree(src, dst);
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "--mmap {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"always", "never"})
    void theCopiesGetTheSourceAtimeEvenThoughVerifyReadsThemAgain(String mmap) throws IOException {
        Instant oldAtime = Tree.T0.minusSeconds(86_400);
        for (String f : List.of("top.txt", "big.bin")) {
            Files.getFileAttributeView(src.resolve(f), java.nio.file.attribute.BasicFileAttributeView.class)
                    .setTimes(null, FileTime.from(oldAtime), null);
        }
        Result r = sync("--verify", "--mmap", mmap);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        for (String f : List.of("top.txt", "big.bin")) {
            // setting the times changes the ctime; a read after that (the verify) moved the atime under relatime
            assertThat(Files.readAttributes(dst.resolve(f), java.nio.file.attribute.BasicFileAttributes.class)
                    .lastAccessTime().toInstant()).as(f).isEqualTo(oldAtime);
        }
    }

    @Test
    void aScanWithStatThreadsRecordsWhatAScanWithoutThemRecords() {
        Tree tree = Tree.at(src);
        for (int i = 0; i < 300; i++) {
            tree.file("many/d" + i % 7 + "/f" + i + ".txt", "content " + i);
        }
        String rows = "SELECT source_path, size, modified, permissions, status, hash FROM files ORDER BY source_path";
        Path db8 = tmp.resolve("eight.db");
        Result one = Duplex.run(tmp.resolve("state"), "--db", db.toString(), "--scan-threads", "1", src.toString(),
                dst.toString());
        Result eight = Duplex.run(tmp.resolve("state"), "--db", db8.toString(), "--scan-threads", "8",
                src.toString(), tmp.resolve("dst8").toString());
        assertThat(one.exitCode()).as(one.toString()).isZero();
        assertThat(eight.exitCode()).as(eight.toString()).isZero();
        assertThat(eight.out()).contains("scan done: 305 files");
        assertThat(Db.rows(db8, rows)).hasSize(305).isEqualTo(Db.rows(db, rows));
        Tree.assertSameTree(src, tmp.resolve("dst8"));
    }

    @Test
    void eachChecksumAlgorithmIsStoredAsLowercaseHexOfTheContent() throws Exception {
        Map<String, String> expected = Map.of("md5", "MD5", "sha1", "SHA-1", "sha256", "SHA-256");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            Path d = tmp.resolve("dst-" + e.getKey());
            Result r = Duplex.run(tmp.resolve("state"), "--db", tmp.resolve(e.getKey() + ".db").toString(),
                    "--checksum", e.getKey(), src.toString(), d.toString());
            assertThat(r.exitCode()).isZero();
            String hash = (String) Db.rows(tmp.resolve(e.getKey() + ".db"),
                    "SELECT hash FROM files WHERE source_path LIKE '%big.bin'").get(0).get("hash");
            assertThat(hash).isEqualTo(HexFormat.of().formatHex(
                    MessageDigest.getInstance(e.getValue()).digest(Files.readAllBytes(src.resolve("big.bin")))));
        }
        Result r = Duplex.run(tmp.resolve("state"), "--db", tmp.resolve("b2.db").toString(), "--checksum", "blake2b",
                src.toString(), tmp.resolve("dst-b2").toString());
        assertThat(r.exitCode()).isZero();
        org.bouncycastle.crypto.digests.Blake2bDigest b2 = new org.bouncycastle.crypto.digests.Blake2bDigest(512);
        byte[] content = Files.readAllBytes(src.resolve("top.txt"));
        b2.update(content, 0, content.length);
        byte[] out = new byte[64];
        b2.doFinal(out, 0);
        assertThat(Db.rows(tmp.resolve("b2.db"), "SELECT hash FROM files WHERE source_path LIKE '%top.txt'")
                .get(0).get("hash")).isEqualTo(HexFormat.of().formatHex(out));
    }

    @Test
    void twoDestinationsReceiveIdenticalTreesFromOneRead() {
        Path dst2 = tmp.resolve("dst2");
        Result r = Duplex.run(tmp.resolve("state"), withDb(tmp, src.toString(), dst.toString(), dst2.toString()));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Tree.assertSameTree(src, dst);
        Tree.assertSameTree(src, dst2);
        assertThat(Audit.lines(audit)).allSatisfy(l -> assertThat(l.get("dest2")).startsWith(dst2.toString()));
    }

    /** A clock ten minutes ahead, so files just created (mtime and ctime now) are ten minutes old to duplex. */
    private static java.time.Clock tenMinutesAhead() {
        return java.time.Clock.fixed(Instant.now().plusSeconds(600), java.time.ZoneOffset.UTC);
    }

    @Test
    void stableForDefersFilesModifiedTooRecently() throws IOException {
        java.time.Clock clock = tenMinutesAhead();
        Files.setLastModifiedTime(src.resolve("top.txt"), FileTime.from(clock.instant().minusSeconds(5)));
        Result r = Duplex.run(tmp.resolve("state"), clock,
                withDb(tmp, "--stable-for", "1m", src.toString(), dst.toString()));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("deferred " + src.resolve("top.txt")).contains("deferred 1");
        assertThat(dst.resolve("top.txt")).doesNotExist();
        assertThat(dst.resolve("a/b/deep.txt")).exists();
        assertThat(Db.rows(db, "SELECT status FROM files WHERE source_path LIKE '%top.txt'").get(0))
                .containsEntry("status", "pending");
    }

    @Test
    void stableForCountsAFileWrittenWithAnOldMtimeAsChangedWhenItWasWritten() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("unix"),
                "needs the unix attribute view for ctime");
        // as `cp -p` or `tar x` leave it: written just now, mtime put back to an old value
        Files.setLastModifiedTime(src.resolve("top.txt"), FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        Result r = Duplex.run(tmp.resolve("state"), java.time.Clock.systemUTC(),
                withDb(tmp, "--stable-for", "1h", src.toString(), dst.toString()));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("deferred " + src.resolve("top.txt") + ": changed ").contains("deferred 5");
        assertThat(dst.resolve("top.txt")).doesNotExist();
    }

    @Test
    void aRunThatDeferredFilesIsFollowedByAScanNotAResume() throws IOException {
        java.time.Clock clock = tenMinutesAhead();
        Files.setLastModifiedTime(src.resolve("top.txt"), FileTime.from(clock.instant().minusSeconds(5)));
        String[] args = withDb(tmp, "--stable-for", "1m", src.toString(), dst.toString());
        Result first = Duplex.run(tmp.resolve("state"), clock, args);
        assertThat(first.out()).as(first.toString()).contains("deferred 1");

        // a file that keeps being written must not stop later runs from seeing new files
        Tree.at(src).file("later/new.txt", "new");
        Result second = Duplex.run(tmp.resolve("state"), clock, args);
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.out()).contains("scanning").doesNotContain("resuming").contains("deferred 1");
        assertThat(dst.resolve("later/new.txt")).hasContent("new");
        assertThat(Db.rows(db, "SELECT attempts, error FROM files WHERE source_path LIKE '%top.txt'").get(0))
                .containsEntry("attempts", 1).hasEntrySatisfying("error",
                        e -> assertThat((String) e).startsWith("deferred: changed "));

        Result status = Duplex.run(tmp.resolve("state"), "status", "--db", db.toString());
        assertThat(status.out()).as(status.toString())
                .contains("of which 1 files (3 B) deferred (not stable yet)")
                .doesNotContain("failed at least once").doesNotContain("failing files");
    }

    @Test
    void recreatesSymlinksAsSymlinksWithoutFollowingThem() throws IOException {
        Tree.at(src).link("a/to-deep", "b/deep.txt").link("dangling", "../nowhere/at-all").link("dir-link", "a");
        Result r = sync();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(Files.readSymbolicLink(dst.resolve("a/to-deep"))).isEqualTo(Path.of("b/deep.txt"));
        assertThat(Files.readSymbolicLink(dst.resolve("dangling"))).isEqualTo(Path.of("../nowhere/at-all"));
        assertThat(Files.isSymbolicLink(dst.resolve("dir-link"))).isTrue();
        Tree.assertSameTree(src, dst);
        assertThat(r.out()).contains("made 3 symlinks");
        assertThat(Audit.lines(audit)).filteredOn(l -> l.containsKey("symlink")).hasSize(3)
                .allSatisfy(l -> assertThat(l.get("event")).isEqualTo("synced"));

        Result again = sync();
        assertThat(again.out()).doesNotContain("symlinks");
        assertThat(Audit.lines(audit)).filteredOn(l -> l.containsKey("symlink")).hasSize(3);
    }

    @Test
    void aSymlinkWhoseTargetChangedIsReplacedAndAnExtraLinkIsDeletedAsALink() throws IOException {
        Tree.at(src).link("moving", "top.txt");
        Path outside = Tree.at(tmp.resolve("outside")).file("keep.txt", "keep").root();
        Tree.at(dst).link("extra-link", outside.toString());
        assertThat(sync("--delete-extras").exitCode()).isZero();
        Files.delete(src.resolve("moving"));
        Files.createSymbolicLink(src.resolve("moving"), Path.of("a/b/deep.txt"));
        Result r = sync("--delete-extras");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(Files.readSymbolicLink(dst.resolve("moving"))).isEqualTo(Path.of("a/b/deep.txt"));
        assertThat(dst.resolve("extra-link")).doesNotExist();
        assertThat(outside.resolve("keep.txt")).hasContent("keep");
        Tree.assertSameTree(src, dst);
    }

    private static String sha256(Path p) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
