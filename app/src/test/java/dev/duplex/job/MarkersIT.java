package dev.duplex.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.backlog.IsoTime;
import dev.duplex.tree.TempName;
import dev.duplex.testing.Db;
import dev.duplex.testing.Duplex;
import dev.duplex.testing.Duplex.Result;
import dev.duplex.testing.Tree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --ready-suffix and --success-marker (seed 003's publish markers), the whole tool in-process. */
class MarkersIT {
    @TempDir
    Path tmp;
    Path src;
    Path a;
    Path b;
    Path db;

    @BeforeEach
    void trees() {
        src = tmp.resolve("src");
        a = tmp.resolve("a");
        b = tmp.resolve("b");
        db = tmp.resolve("job.db");
        Tree.at(src).file("report.pdf", "the report").file("data/part-0001.csv", "1,2,3")
                .file("data/empty.csv", new byte[0], Tree.T0);
    }

    private Result sync(List<Path> dests, String... args) {
        List<String> all = new ArrayList<>(List.of("--db", db.toString()));
        all.addAll(List.of(args));
        all.add(src.toString());
        dests.forEach(d -> all.add(d.toString()));
        return Duplex.run(tmp.resolve("state"), all.toArray(String[]::new));
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private static String expectedMarker(Path source) throws Exception {
        return "{\"size\":" + Files.size(source) + ",\"mtime\":\""
                + IsoTime.format(Files.getLastModifiedTime(source).toInstant()) + "\",\"algo\":\"sha256\",\"hash\":\""
                + sha256(source) + "\"}\n";
    }

    @Test
    void eachCommittedFileHasAMarkerWithItsSizeMtimeAndHashOnBothDestinations() throws Exception {
        Result r = sync(List.of(a, b), "--ready-suffix", ".ready");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        for (Path dest : List.of(a, b)) {
            for (String file : List.of("report.pdf", "data/part-0001.csv", "data/empty.csv")) {
                assertThat(dest.resolve(file + ".ready")).as(dest + "/" + file)
                        .hasContent(expectedMarker(src.resolve(file)).strip());
            }
            assertThat(dest.resolve("data.ready")).doesNotExist(); // directories get none
        }
        assertThat(Db.rows(db, "SELECT count(*) AS n FROM files").get(0)).containsEntry("n", 3);
    }

    @Test
    void aFileUpToDateButWithoutItsMarkerIsCopiedAgainToGetOne() throws Exception {
        assertThat(sync(List.of(a)).exitCode()).isZero(); // a first run without markers
        Result r = sync(List.of(a), "--ready-suffix", ".ready");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("copied 3 files");
        assertThat(a.resolve("report.pdf.ready")).hasContent(expectedMarker(src.resolve("report.pdf")).strip());
        Result again = sync(List.of(a), "--ready-suffix", ".ready");
        assertThat(again.out()).contains("copied 0 files").contains("skipped 3 up to date");
    }

    @Test
    void aChangedFileGetsTheMarkerOfItsNewVersion() throws Exception {
        assertThat(sync(List.of(a), "--ready-suffix", ".ready").exitCode()).isZero();
        Files.writeString(src.resolve("report.pdf"), "the second report, longer");
        Files.setLastModifiedTime(src.resolve("report.pdf"), FileTime.from(Tree.T0.plusSeconds(60)));
        assertThat(sync(List.of(a), "--ready-suffix", ".ready").exitCode()).isZero();
        assertThat(a.resolve("report.pdf.ready")).hasContent(expectedMarker(src.resolve("report.pdf")).strip());
    }

    @Test
    void aCommitRolledForwardAfterACrashGetsItsMarkersOnBothDestinations() throws Exception {
        assertThat(sync(List.of(a, b), "--ready-suffix", ".ready").exitCode()).isZero();
        // what a crash after the rename on A and before the rename on B leaves: no markers yet
        Db.execute(db, "UPDATE files SET status='prepared' WHERE source_path LIKE '%report.pdf'");
        Files.move(b.resolve("report.pdf"), TempName.forFinal(b.resolve("report.pdf")));
        Files.delete(a.resolve("report.pdf.ready"));
        Files.delete(b.resolve("report.pdf.ready"));
        Result r = sync(List.of(a, b), "--ready-suffix", ".ready");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("rolled forward");
        for (Path dest : List.of(a, b)) {
            assertThat(dest.resolve("report.pdf.ready")).hasContent(expectedMarker(src.resolve("report.pdf")).strip());
        }
    }

    @Test
    void mirrorCleanupKeepsTheMarkersOfFilesThatExistAndDeletesTheOthers() throws Exception {
        Tree.at(src).file("gone.txt", "soon gone");
        assertThat(sync(List.of(a), "--ready-suffix", ".ready").exitCode()).isZero();
        Files.delete(src.resolve("gone.txt"));
        Result r = sync(List.of(a), "--ready-suffix", ".ready", "--delete-extras");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(a.resolve("gone.txt")).doesNotExist();
        assertThat(a.resolve("gone.txt.ready")).doesNotExist();
        assertThat(a.resolve("report.pdf.ready")).exists();
        // without the suffix, a mirror run takes the markers for extras
        assertThat(sync(List.of(a), "--delete-extras").exitCode()).isZero();
        assertThat(a.resolve("report.pdf.ready")).doesNotExist();
    }

    @Test
    void theSuccessMarkerIsWrittenAtEachDestinationRootAfterARunThatExits0() {
        Result r = sync(List.of(a, b), "--success-marker", "_SUCCESS");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(a.resolve("_SUCCESS")).isEmptyFile();
        assertThat(b.resolve("_SUCCESS")).isEmptyFile();
        // the next run finds it in the destination: not an extra, not a file to sync
        Result mirror = sync(List.of(a, b), "--success-marker", "_SUCCESS", "--delete-extras", "--max-delete", "0");
        assertThat(mirror.exitCode()).as(mirror.toString()).isZero();
        assertThat(a.resolve("_SUCCESS")).exists();
    }

    @Test
    void aRunThatDoesNotExit0RemovesTheStaleSuccessMarkerAndWritesNone() throws IOException {
        assertThat(sync(List.of(a), "--success-marker", "_SUCCESS").exitCode()).isZero();
        Tree.at(a).file("extra.txt", "not in the source");
        Result refused = sync(List.of(a), "--success-marker", "_SUCCESS", "--delete-extras", "--max-delete", "0");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1); // cleanup refused
        assertThat(a.resolve("_SUCCESS")).doesNotExist();
    }

    @Test
    void aSourceFileNamedLikeTheSuccessMarkerIsNotCopied() {
        Tree.at(src).file("_SUCCESS", "the source's own");
        Result r = sync(List.of(a), "--success-marker", "_SUCCESS");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.err()).contains("not copying " + src.resolve("_SUCCESS"));
        assertThat(a.resolve("_SUCCESS")).isEmptyFile();
    }

    @Test
    void aDryRunTouchesNoMarker() throws IOException {
        assertThat(sync(List.of(a), "--success-marker", "_SUCCESS").exitCode()).isZero();
        Files.writeString(src.resolve("report.pdf"), "changed");
        Result r = sync(List.of(a), "--dry-run", "--success-marker", "_SUCCESS", "--ready-suffix", ".ready");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("would write the success marker _SUCCESS");
        assertThat(a.resolve("_SUCCESS")).exists();
        assertThat(a.resolve("report.pdf.ready")).doesNotExist();
    }

    @Test
    void noSuccessMarkerWhileAFileIsStillPending() throws IOException {
        Files.writeString(src.resolve("young.txt"), "just written");
        Result r = sync(List.of(a), "--success-marker", "_SUCCESS", "--stable-for", "1h");
        assertThat(r.exitCode()).as(r.toString()).isZero(); // deferred is not failed
        assertThat(r.out()).contains("deferred");
        assertThat(a.resolve("_SUCCESS")).doesNotExist();
    }

    @Test
    void aSourceFileNamedLikeAMarkerBesideItsFileIsNotCopied() throws IOException {
        Files.writeString(src.resolve("report.pdf.ready"), "not json");
        Result r = sync(List.of(a), "--ready-suffix", ".ready");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.err()).contains("not copying " + src.resolve("report.pdf.ready"));
        assertThat(a.resolve("report.pdf.ready")).content().startsWith("{\"size\":");
    }

    @Test
    void aReadySuffixThatIsTheSidecarsNameIsAUsageError() {
        Result r = sync(List.of(a), "--sidecar", "--ready-suffix", ".sha256");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--ready-suffix .sha256");
    }

    @Test
    void markerNamesThatCannotWorkAreUsageErrors() {
        for (String[] bad : List.of(new String[] {"--ready-suffix", ""}, new String[] {"--ready-suffix", "x/y"},
                new String[] {"--ready-suffix", ".duplex-tmp"}, new String[] {"--success-marker", "../_SUCCESS"},
                new String[] {"--success-marker", "."})) {
            Result r = sync(List.of(a), bad);
            assertThat(r.exitCode()).as(String.join(" ", bad) + "\n" + r).isEqualTo(2);
            assertThat(r.err()).contains(bad[0]);
        }
        assertThat(a).doesNotExist();
    }
}
