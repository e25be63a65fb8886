package dev.duplex.transfer;

import dev.duplex.digest.HashAlgorithm;
import static dev.duplex.transfer.ScannedRows.roots;
import static dev.duplex.transfer.ScannedRows.rows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.tree.TempName;
import dev.duplex.report.TransferStats;
import dev.duplex.tree.LocalHooks;
import dev.duplex.tree.LocalTree;
import dev.duplex.testing.Tree;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An I/O error or a full disk in the middle of writing a file, injected through the temp-opener seam: that file
 * fails cleanly (no final name, no temp file, on any destination), as a destination failure, and the other files
 * are copied. (Real full disks: FaultsIT in it-tests.)
 */
@Timeout(60)
class DestinationFaultTest {
    @TempDir
    Path tmp;

    /** Failures by file name, with the side the commit stage blamed. */
    static final class Outcomes implements CommitSink {
        final Map<String, String> synced = new LinkedHashMap<>();
        final Map<String, String> failed = new LinkedHashMap<>();
        final Map<String, Side> sides = new LinkedHashMap<>();

        @Override
        public void prepared(FileTicket file, String hash) {}

        @Override
        public void synced(FileTicket file, String hash) {
            synced.put(file.path().name(), hash);
        }

        @Override
        public void failed(FileTicket file, Side side, String reason) {
            failed.put(file.path().name(), reason);
            sides.put(file.path().name(), side);
        }

        @Override
        public void vanished(FileTicket file) {
            failed.put(file.path().name(), "vanished");
        }

        @Override
        public void partiallyCommitted(FileTicket file, String reason) {
            failed.put(file.path().name(), "partial: " + reason);
        }

        @Override
        public void deferred(FileTicket file, String reason) {
            failed.put(file.path().name(), "deferred: " + reason);
        }

        @Override
        public void idle() {}
    }

    @ParameterizedTest(name = "{0} after {1} bytes on destination {2} of {3}")
    @CsvSource({
        "Input/output error, 0, 1, 1",
        "Input/output error, 100000, 1, 1",
        "No space left on device, 70000, 1, 1",
        "Input/output error, 100000, 2, 2",
        "No space left on device, 0, 1, 2",
        "No space left on device, 250000, 2, 2"})
    void aWriteErrorMidFileFailsThatFileOnEveryDestinationAndTheOthersAreCopied(String error, long afterBytes,
                                                                               int failingDest, int destinations)
            throws Exception {
        Path src = Tree.at(tmp.resolve("src")).randomFile("a.bin", 300_000, 1).randomFile("bad.bin", 300_000, 2)
                .randomFile("c.bin", 300_000, 3).root();
        List<Path> dests = new ArrayList<>();
        for (int i = 1; i <= destinations; i++) {
            dests.add(Files.createDirectories(tmp.resolve("d" + i)));
        }
        Path failing = dests.get(failingDest - 1);
        LocalHooks.TempOpener opener = temp -> {
            var real = LocalHooks.TempOpener.DEFAULT.open(temp);
            return temp.startsWith(failing) && temp.getFileName().toString().startsWith(".bad.bin.")
                    ? new FailingWriteChannel(real, afterBytes, error) : real;
        };
        Outcomes outcomes = new Outcomes();
        PipelineSettings settings = new PipelineSettings(destinations, 64 * 1024, 3, HashAlgorithm.SHA256,
                BandwidthLimiter.unlimited(), false, false, Duration.ZERO, Clock.systemUTC(), RetryPolicy.none(),
                Optional.empty(), Optional.empty(), 2, SourceAccess.READ);
        new TransferPipeline(settings, new TransferStats(), roots(src, dests, new LocalHooks(LocalHooks.SourceOpener.DEFAULT, opener, LocalHooks.Renamer.DEFAULT))).run(rows(src, dests, "a.bin", "bad.bin", "c.bin").iterator(), outcomes);

        assertThat(outcomes.failed).containsOnlyKeys("bad.bin");
        assertThat(outcomes.failed.get("bad.bin")).contains(error).contains(failingDest == 1 ? "DEST:" : "DEST2:");
        assertThat(outcomes.sides).containsEntry("bad.bin", CommitSink.Side.DESTINATION);
        assertThat(outcomes.synced).containsOnlyKeys("a.bin", "c.bin");
        for (Path d : dests) {
            assertThat(d.resolve("bad.bin")).doesNotExist();
            assertThat(TempName.forFinal(d.resolve("bad.bin"))).doesNotExist();
            assertThat(d.resolve("c.bin")).hasSameBinaryContentAs(src.resolve("c.bin"));
            try (Stream<Path> s = Files.walk(d)) {
                assertThat(s.map(p -> p.getFileName().toString())).noneMatch(TempName::isTemp);
            }
        }
    }


    @ParameterizedTest(name = "failing destination {0} of 2")
    @CsvSource({"1", "2"})
    void aFileThatFailsOnEitherDestinationGetsNoReadyMarkerOnAny(int failingDest) throws Exception {
        Path src = Tree.at(tmp.resolve("src")).randomFile("a.bin", 300_000, 1).randomFile("bad.bin", 300_000, 2).root();
        List<Path> dests = List.of(Files.createDirectories(tmp.resolve("d1")), Files.createDirectories(tmp.resolve("d2")));
        Path failing = dests.get(failingDest - 1);
        LocalHooks.TempOpener opener = temp -> {
            var real = LocalHooks.TempOpener.DEFAULT.open(temp);
            return temp.startsWith(failing) && temp.getFileName().toString().startsWith(".bad.bin.")
                    ? new FailingWriteChannel(real, 100_000, "Input/output error") : real;
        };
        Outcomes outcomes = new Outcomes();
        PipelineSettings settings = new PipelineSettings(2, 64 * 1024, 3, HashAlgorithm.SHA256,
                BandwidthLimiter.unlimited(), false, false, Duration.ZERO, Clock.systemUTC(), RetryPolicy.none(),
                Optional.empty(), Optional.of(".ready"), 2, SourceAccess.READ);
        new TransferPipeline(settings, new TransferStats(), roots(src, dests, new LocalHooks(LocalHooks.SourceOpener.DEFAULT, opener, LocalHooks.Renamer.DEFAULT))).run(rows(src, dests, "a.bin", "bad.bin").iterator(), outcomes);

        assertThat(outcomes.failed).containsOnlyKeys("bad.bin");
        for (Path d : dests) {
            assertThat(d.resolve("bad.bin.ready")).doesNotExist();
            assertThat(d.resolve("a.bin.ready")).content().contains("\"size\":300000").contains(outcomes.synced.get("a.bin"));
        }
    }

    /**
     * The defect of issue 13: while a large file's temp filled the destination, the other lanes' small files failed
     * for lack of space, and those failures stopped the run as a dead destination. A write that runs out of space
     * while another temp is there is tried again alone; only the file that cannot fit fails.
     */
    @ParameterizedTest(name = "{0} destination(s), 4 lanes")
    @CsvSource({"1", "2"})
    void onAFillingDestinationOnlyTheFileThatCannotFitFailsAndEveryOtherIsCopied(int destinations) throws Exception {
        Tree src = Tree.at(tmp.resolve("src")).randomFile("big.bin", 1_600_000, 1).randomFile("mid.bin", 200_000, 2);
        List<String> names = new ArrayList<>(List.of("big.bin"));
        for (int i = 0; i < 20; i++) {
            String name = "small-" + i + ".bin";
            src.randomFile(name, 20_000, 10 + i);
            names.add(name);
        }
        names.add("mid.bin");
        List<Path> dests = new ArrayList<>();
        for (int i = 1; i <= destinations; i++) {
            dests.add(Files.createDirectories(tmp.resolve("d" + i)));
        }
        // everything but big.bin fits: 20 x 20 KB + 200 KB; the last destination is the one that fills
        Path limited = dests.get(destinations - 1);
        FillingDisk disk = new FillingDisk(limited, 1_000_000, "big.bin");
        LocalHooks.TempOpener opener = temp -> {
            FileChannel real = LocalHooks.TempOpener.DEFAULT.open(temp);
            return temp.startsWith(limited) ? disk.channel(real, temp) : real;
        };
        Outcomes outcomes = new Outcomes();
        PipelineSettings settings = new PipelineSettings(destinations, 64 * 1024, 3, HashAlgorithm.SHA256,
                BandwidthLimiter.unlimited(), false, false, Duration.ZERO, Clock.systemUTC(), RetryPolicy.none(),
                Optional.empty(), Optional.empty(), 4, SourceAccess.READ);
        new TransferPipeline(settings, new TransferStats(), roots(src.root(), dests, new LocalHooks(LocalHooks.SourceOpener.DEFAULT, opener, LocalHooks.Renamer.DEFAULT))).run(rows(src.root(), dests, names.toArray(String[]::new)).iterator(),
                outcomes);

        assertThat(outcomes.failed).containsOnlyKeys("big.bin");
        assertThat(outcomes.failed.get("big.bin")).contains("No space left on device");
        assertThat(outcomes.synced).hasSize(21);
        for (Path d : dests) {
            for (String name : names.subList(1, names.size())) {
                assertThat(d.resolve(name)).hasSameBinaryContentAs(src.path(name));
            }
            assertThat(d.resolve("big.bin")).doesNotExist();
            try (Stream<Path> s = Files.walk(d)) {
                assertThat(s.map(p -> p.getFileName().toString())).noneMatch(TempName::isTemp);
            }
        }
    }
}
