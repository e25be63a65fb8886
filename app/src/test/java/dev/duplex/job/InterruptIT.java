package dev.duplex.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.tree.TempName;
import dev.duplex.report.RunSummary;
import dev.duplex.report.TransferListener;
import dev.duplex.report.TransferStats;
import dev.duplex.testing.Db;
import dev.duplex.testing.Tree;
import dev.duplex.digest.HashAlgorithm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A stop request (what SIGINT/SIGTERM turn into) abandons files in progress cleanly and keeps the rest. */
class InterruptIT {
    @TempDir
    Path tmp;

    private SyncOptions options(List<Path> dests) {
        return new SyncOptions(new Location.Local(tmp.resolve("src")),
                dests.stream().<Location>map(Location.Local::new).toList(), tmp.resolve("job.db"), tmp.resolve("audit.jsonl"),
                8L << 20, HashAlgorithm.SHA256, false, false, 5 << 20, 20, false, false, Duration.ZERO, false, 0,
                Duration.ZERO, false, 10, false, -1, 4, dev.duplex.transfer.SourceAccess.Choice.AUTO, 8,
                dev.duplex.filter.PathFilter.NONE, false, dev.duplex.commit.Markers.NONE, false,
                dev.duplex.remote.ClientOptions.none(), java.util.Optional.empty());
    }

    /** Interrupts the job thread at the moment the given phase starts: a signal arriving exactly then. */
    private static TransferListener interruptAt(TransferListener.Phase phase) {
        return new TransferListener() {
            @Override
            public void phaseStarted(Phase p) {
                if (p == phase) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void aStopDuringTheTransferLeavesNoTempFilesAndTheNextRunCompletes(int destinations) throws Exception {
        Tree.at(tmp.resolve("src")).randomFile("a.bin", 3 << 20, 1).randomFile("b.bin", 100, 2);
        List<Path> dests = destinations == 1 ? List.of(tmp.resolve("a")) : List.of(tmp.resolve("a"), tmp.resolve("b"));
        RunSummary stopped = new SyncJob(options(dests), interruptAt(TransferListener.Phase.TRANSFER),
                new TransferStats(), Clock.systemUTC()).run();
        assertThat(stopped.interrupted()).isTrue();
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        for (Path d : dests) {
            try (Stream<Path> s = Files.walk(d)) {
                assertThat(s.map(p -> p.getFileName().toString())).noneMatch(TempName::isTemp);
            }
        }
        assertThat(Db.rows(tmp.resolve("job.db"), "SELECT status FROM files WHERE status='pending'")).hasSize(2);
        RunSummary again = new SyncJob(options(dests), TransferListener.NONE, new TransferStats(),
                Clock.systemUTC()).run();
        assertThat(again.interrupted()).isFalse();
        for (Path d : dests) {
            Tree.assertSameTree(tmp.resolve("src"), d);
        }
    }

    /**
     * A stop in the middle of a scan leaves part of the tree recorded as pending. The next run must scan again: if it
     * resumed that partial backlog it would copy only the part and report success for the whole job.
     */
    @Test
    void aStopInTheMiddleOfAScanIsFollowedByAFullScanNotAResumeOfThePart() throws Exception {
        Tree src = Tree.at(tmp.resolve("src"));
        for (int i = 0; i < 1500; i++) {
            src.file(String.format("a%04d.txt", i), "a" + i);
        }
        for (int i = 0; i < 1500; i++) {
            src.file(String.format("c%04d.txt", i), "c" + i);
        }
        Process mkfifo = new ProcessBuilder("mkfifo", src.path("b-fifo").toString()).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(mkfifo.waitFor() == 0, "needs mkfifo (a FIFO marks mid-scan)");
        List<Path> dests = List.of(tmp.resolve("a"));
        // the scan warns about the FIFO on the job thread, in the middle of the walk: the stop arrives right then
        TransferListener stopAtTheFifo = new TransferListener() {
            @Override
            public void warning(String message) {
                if (message.contains("b-fifo")) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        RunSummary stopped = new SyncJob(options(dests), stopAtTheFifo, new TransferStats(), Clock.systemUTC()).run();
        assertThat(stopped.interrupted()).isTrue();
        assertThat(Db.rows(tmp.resolve("job.db"), "SELECT count(*) AS n FROM files").get(0).get("n"))
                .as("the stop came mid-scan, after part of the tree was recorded").isNotEqualTo(0).isNotEqualTo(3000);

        RunSummary next = new SyncJob(options(dests), TransferListener.NONE, new TransferStats(),
                Clock.systemUTC()).run();
        assertThat(next.interrupted()).isFalse();
        assertThat(next.filesCopied()).isEqualTo(3000);
        Files.delete(src.path("b-fifo"));
        Tree.assertSameTree(tmp.resolve("src"), tmp.resolve("a"));
    }

    @Test
    void aStopDuringTheScanIsReportedAndTheNextRunFinishesTheJob() throws Exception {
        Tree.at(tmp.resolve("src")).file("x.txt", "x").file("d/y.txt", "y");
        List<Path> dests = List.of(tmp.resolve("a"));
        RunSummary stopped = new SyncJob(options(dests), interruptAt(TransferListener.Phase.SCAN), new TransferStats(),
                Clock.systemUTC()).run();
        assertThat(stopped.interrupted()).isTrue();
        new SyncJob(options(dests), TransferListener.NONE, new TransferStats(), Clock.systemUTC()).run();
        RunSummary third = new SyncJob(options(dests), TransferListener.NONE, new TransferStats(),
                Clock.systemUTC()).run();
        assertThat(third.interrupted()).isFalse();
        Tree.assertSameTree(tmp.resolve("src"), tmp.resolve("a"));
    }
}
