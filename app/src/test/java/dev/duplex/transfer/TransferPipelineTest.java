package dev.duplex.transfer;

import dev.duplex.digest.HashAlgorithm;
import static dev.duplex.transfer.ScannedRows.roots;
import static dev.duplex.transfer.ScannedRows.rows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.backlog.FileRow;
import dev.duplex.tree.TempName;
import dev.duplex.report.TransferStats;
import dev.duplex.tree.LocalHooks;
import dev.duplex.tree.LocalTree;
import dev.duplex.testing.Tree;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline alone, with failures injected through the source-opener seam. */
@Timeout(30)
class TransferPipelineTest {
    @TempDir
    Path tmp;

    /** Captures what the commit stage reports. */
    static class Results implements CommitSink {
        final Map<String, String> synced = new LinkedHashMap<>();
        final Map<String, String> failed = new LinkedHashMap<>();
        final List<String> deferred = new ArrayList<>();
        final List<String> prepared = new ArrayList<>();
        final Map<String, String> partial = new LinkedHashMap<>();

        @Override
        public void prepared(FileTicket file, String hash) {
            prepared.add(file.path().name());
        }

        @Override
        public void partiallyCommitted(FileTicket file, String reason) {
            partial.put(file.path().name(), reason);
        }

        @Override
        public void synced(FileTicket file, String hash) {
            synced.put(file.path().name(), hash);
        }

        @Override
        public void vanished(FileTicket file) {
            failed.put(file.path().name(), "vanished");
        }

        @Override
        public void failed(FileTicket file, Side side, String reason) {
            failed.put(file.path().name(), reason);
        }

        @Override
        public void deferred(FileTicket file, String reason) {
            deferred.add(file.path().name());
        }

        @Override
        public void idle() {}
    }

    private static Path tmpRoot;

    private static Path tmp() {
        return tmpRoot;
    }

    @org.junit.jupiter.api.BeforeEach
    void rememberRoot() {
        tmpRoot = tmp;
    }

    private static PipelineSettings settings(int destinations, int blockSize) {
        return settings(destinations, blockSize, false, RetryPolicy.none());
    }

    private static PipelineSettings settings(int destinations, int blockSize, boolean verify, RetryPolicy retry) {
        return settings(destinations, blockSize, verify, retry, 1);
    }

    private static PipelineSettings settings(int destinations, int blockSize, boolean verify, RetryPolicy retry,
                                             int transfers) {
        return new PipelineSettings(destinations, blockSize, 2, HashAlgorithm.SHA256, BandwidthLimiter.unlimited(),
                verify, false, Duration.ZERO, Clock.systemUTC(), retry, Optional.empty(), Optional.empty(),
                transfers,
                SourceAccess.READ);
    }

    /** A temp opener whose channel flips one bit of everything it writes: a bad disk or a bad link. */
    private static final LocalHooks.TempOpener CORRUPTING = temp -> {
        FileChannel real = LocalHooks.TempOpener.DEFAULT.open(temp);
        return new DelegatingFileChannel(real) {
            @Override
            public int write(java.nio.ByteBuffer src) throws IOException {
                java.nio.ByteBuffer copy = java.nio.ByteBuffer.allocate(src.remaining()).put(src).flip();
                if (copy.hasRemaining()) {
                    copy.put(0, (byte) (copy.get(0) ^ 1));
                }
                return real.write(copy);
            }
        };
    };

    @Test
    void verifyCatchesATempFileCorruptedOnTheWayAndCommitsNothing() throws Exception {
        Path src = Tree.at(tmp.resolve("src")).randomFile("v.bin", 20_000, 8).root();
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        Results results = new Results();
        new TransferPipeline(settings(1, 8192, true, RetryPolicy.none()), new TransferStats(), roots(src, List.of(dst), new LocalHooks(LocalHooks.SourceOpener.DEFAULT, CORRUPTING, LocalHooks.Renamer.DEFAULT)))
                .run(rows(src, List.of(dst), "v.bin").iterator(), results);
        assertThat(results.failed.get("v.bin")).contains("verification failed");
        assertThat(dst.resolve("v.bin")).doesNotExist();
        assertThat(TempName.forFinal(dst.resolve("v.bin"))).doesNotExist();
    }

    @Test
    void withoutVerifyTheSameCorruptionWouldBeCommitted() throws Exception {
        Path src = Tree.at(tmp.resolve("src")).randomFile("v.bin", 20_000, 8).root();
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        Results results = new Results();
        new TransferPipeline(settings(1, 8192, false, RetryPolicy.none()), new TransferStats(), roots(src, List.of(dst), new LocalHooks(LocalHooks.SourceOpener.DEFAULT, CORRUPTING, LocalHooks.Renamer.DEFAULT)))
                .run(rows(src, List.of(dst), "v.bin").iterator(), results);
        assertThat(results.synced).containsKey("v.bin");
        assertThat(Files.readAllBytes(dst.resolve("v.bin"))).isNotEqualTo(Files.readAllBytes(src.resolve("v.bin")));
    }

    @Test
    void aTransientOpenFailureIsRetriedWithDoublingWaits() throws Exception {
        Path src = Tree.at(tmp.resolve("src")).randomFile("locked.bin", 1000, 10).root();
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        List<Duration> waits = new ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        LocalHooks.SourceOpener lockedTwice = p -> {
            if (attempts.incrementAndGet() <= 2) {
                throw new java.nio.file.FileSystemException(p.toString(), null, "file is locked by another process");
            }
            return FileChannel.open(p, StandardOpenOption.READ);
        };
        Results results = new Results();
        new TransferPipeline(settings(1, 8192, false, new RetryPolicy(3, Duration.ofSeconds(1), waits::add)), new TransferStats(), roots(src, List.of(dst), new LocalHooks(lockedTwice, LocalHooks.TempOpener.DEFAULT, LocalHooks.Renamer.DEFAULT))).run(rows(src, List.of(dst), "locked.bin").iterator(), results);
        assertThat(results.synced).containsKey("locked.bin");
        assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @Test
    void anOpenFailureThatOutlastsTheRetriesFailsTheFile() throws Exception {
        Path src = Tree.at(tmp.resolve("src")).randomFile("locked.bin", 1000, 10).root();
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        List<Duration> waits = new ArrayList<>();
        LocalHooks.SourceOpener alwaysLocked = p -> {
            throw new java.nio.file.FileSystemException(p.toString(), null, "file is locked by another process");
        };
        Results results = new Results();
        new TransferPipeline(settings(1, 8192, false, new RetryPolicy(2, Duration.ofMillis(10), waits::add)), new TransferStats(), roots(src, List.of(dst), new LocalHooks(alwaysLocked, LocalHooks.TempOpener.DEFAULT, LocalHooks.Renamer.DEFAULT))).run(rows(src, List.of(dst), "locked.bin").iterator(), results);
        assertThat(results.failed.get("locked.bin")).contains("file is locked").contains("after 2 retries");
        assertThat(waits).hasSize(2);
    }

    @Test
    void aSecondRenameFailureLeavesTheFilePreparedNotRolledBack() throws Exception {
        Path src = Tree.at(tmp.resolve("src")).randomFile("p.bin", 5000, 11).root();
        Path a = Files.createDirectories(tmp.resolve("a"));
        Path b = Files.createDirectories(tmp.resolve("b"));
        LocalHooks.Renamer failOnB = (temp, finalPath) -> {
            if (finalPath.startsWith(b)) {
                throw new IOException("Input/output error (injected)");
            }
            LocalHooks.Renamer.DEFAULT.rename(temp, finalPath);
        };
        Results results = new Results();
        new TransferPipeline(settings(2, 8192), new TransferStats(), roots(src, List.of(a, b), new LocalHooks(LocalHooks.SourceOpener.DEFAULT, LocalHooks.TempOpener.DEFAULT, failOnB))).run(rows(src, List.of(a, b), "p.bin").iterator(), results);
        assertThat(results.prepared).containsExactly("p.bin");
        assertThat(results.partial).containsKey("p.bin");
        assertThat(a.resolve("p.bin")).hasSameBinaryContentAs(src.resolve("p.bin"));
        assertThat(TempName.forFinal(b.resolve("p.bin"))).hasSameBinaryContentAs(src.resolve("p.bin"));
    }

    @Test
    void aReadErrorMidFileAbortsThatFileRemovesItsTempAndTheOthersGoOn() throws Exception {
        Path src = Tree.at(tmp.resolve("src")).randomFile("a.bin", 50_000, 1).randomFile("bad.bin", 50_000, 2)
                .randomFile("c.bin", 50_000, 3).root();
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        Results results = new Results();
        LocalHooks.SourceOpener opener = p -> {
            FileChannel real = FileChannel.open(p, StandardOpenOption.READ);
            return p.getFileName().toString().equals("bad.bin") ? new FailingChannel(real, 20_000) : real;
        };
        new TransferPipeline(settings(1, 8192), new TransferStats(), roots(src, List.of(dst), new LocalHooks(opener, LocalHooks.TempOpener.DEFAULT, LocalHooks.Renamer.DEFAULT)))
                .run(rows(src, List.of(dst), "a.bin", "bad.bin", "c.bin").iterator(), results);
        assertThat(results.synced).containsOnlyKeys("a.bin", "c.bin");
        assertThat(results.failed).containsOnlyKeys("bad.bin");
        assertThat(results.failed.get("bad.bin")).contains("read error").contains("Input/output error");
        assertThat(dst.resolve("bad.bin")).doesNotExist();
        assertThat(TempName.forFinal(dst.resolve("bad.bin"))).doesNotExist();
        assertThat(dst.resolve("c.bin")).hasSameBinaryContentAs(src.resolve("c.bin"));
    }

    @Test
    void aFailureOnOneDestinationCommitsTheFileOnNeither() throws Exception {
        Path src = Tree.at(tmp.resolve("src")).randomFile("sub/x.bin", 30_000, 4).randomFile("y.bin", 30_000, 5)
                .root();
        Path good = Files.createDirectories(tmp.resolve("good"));
        Path bad = Files.createDirectories(tmp.resolve("bad"));
        Files.writeString(bad.resolve("sub"), "a file where a directory is needed");
        List<FileRow> rows = rows(src, List.of(good, bad), "sub/x.bin", "y.bin");
        Results results = new Results();
        new TransferPipeline(settings(2, 4096), new TransferStats(), roots(src, List.of(good, bad)))
                .run(rows.iterator(), results);
        assertThat(results.failed).containsOnlyKeys("x.bin");
        assertThat(good.resolve("sub/x.bin")).doesNotExist();
        assertThat(results.synced).containsOnlyKeys("y.bin");
        assertThat(good.resolve("y.bin")).hasSameBinaryContentAs(src.resolve("y.bin"));
        assertThat(bad.resolve("y.bin")).hasSameBinaryContentAs(src.resolve("y.bin"));
        try (Stream<Path> s = Stream.concat(Files.walk(good), Files.walk(bad))) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(TempName::isTemp);
        }
    }

    @Test
    void everyThreadEndsAndEveryBufferReturnsWhenTheBacklogIsEmpty() throws Exception {
        Results results = new Results();
        new TransferPipeline(settings(2, 4096), new TransferStats(), roots(tmp.resolve("src"),
                List.of(tmp.resolve("a"), tmp.resolve("b")))).run(List.<FileRow>of().iterator(), results);
        assertThat(results.synced).isEmpty();
        assertThat(results.failed).isEmpty();
    }

    @Test
    void aFileThatChangesSizeWhileBeingReadIsNotCommittedButDeferred() throws Exception {
        Path src = Tree.at(tmp.resolve("src")).randomFile("grow.bin", 40_000, 6).root();
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        Results results = new Results();
        // the opener appends to the file after capturing the metadata, as a writer on the source would
        LocalHooks.SourceOpener opener = p -> {
            FileChannel real = FileChannel.open(p, StandardOpenOption.READ);
            Files.write(p, new byte[] {1, 2, 3}, StandardOpenOption.APPEND);
            return real;
        };
        new TransferPipeline(settings(1, 8192), new TransferStats(), roots(src, List.of(dst), new LocalHooks(opener, LocalHooks.TempOpener.DEFAULT, LocalHooks.Renamer.DEFAULT)))
                .run(rows(src, List.of(dst), "grow.bin").iterator(), results);
        assertThat(results.failed).isEmpty();
        assertThat(results.deferred).containsExactly("grow.bin");
        assertThat(dst.resolve("grow.bin")).doesNotExist();
        assertThat(TempName.forFinal(dst.resolve("grow.bin"))).doesNotExist();
    }

    @Test
    void withSeveralTransfersThatManyFilesAreOpenAtOnce() throws Exception {
        Tree src = Tree.at(tmp.resolve("src"));
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            names.add("f" + i + ".bin");
            src.randomFile("f" + i + ".bin", i == 3 ? 200_000 : 1000 + i, i);
        }
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        // each of the first four opens waits until all four are open: one file at a time would never get there
        java.util.concurrent.CountDownLatch fourOpen = new java.util.concurrent.CountDownLatch(4);
        LocalHooks.SourceOpener opener = p -> {
            FileChannel ch = FileChannel.open(p, StandardOpenOption.READ);
            fourOpen.countDown();
            try {
                if (!fourOpen.await(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    throw new IOException("fewer than four files were in flight at once");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            return ch;
        };
        Results results = new Results();
        new TransferPipeline(settings(2, 64 * 1024, false, RetryPolicy.none(), 4), new TransferStats(), roots(src.root(), List.of(dst.resolve("a"), dst.resolve("b")), new LocalHooks(opener, LocalHooks.TempOpener.DEFAULT, LocalHooks.Renamer.DEFAULT)))
                .run(rows(src.root(), List.of(dst.resolve("a"), dst.resolve("b")), names.toArray(String[]::new))
                        .iterator(), results);
        assertThat(results.failed).isEmpty();
        assertThat(results.synced).containsOnlyKeys(names);
        Tree.assertSameTree(src.root(), dst.resolve("a"));
        Tree.assertSameTree(src.root(), dst.resolve("b"));
    }

    @Test
    void aFileOfTheExpectedSizeIsReadWithoutAReadThatOnlyFindsTheEnd() throws Exception {
        Path src = Tree.at(tmp.resolve("src")).randomFile("small.bin", 5000, 1).randomFile("large.bin", 50_000, 2)
                .root();
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        java.util.concurrent.atomic.AtomicInteger endOfFileReads = new java.util.concurrent.atomic.AtomicInteger();
        LocalHooks.SourceOpener opener = p -> new FailingChannel(FileChannel.open(p, StandardOpenOption.READ),
                Long.MAX_VALUE) {
            @Override
            public int read(java.nio.ByteBuffer dst) throws IOException {
                int n = super.read(dst);
                if (n < 0) {
                    endOfFileReads.incrementAndGet();
                }
                return n;
            }
        };
        Results results = new Results();
        new TransferPipeline(settings(1, 8192), new TransferStats(), roots(src, List.of(dst), new LocalHooks(opener, LocalHooks.TempOpener.DEFAULT, LocalHooks.Renamer.DEFAULT)))
                .run(rows(src, List.of(dst), "large.bin", "small.bin").iterator(), results);
        assertThat(results.synced).containsOnlyKeys("large.bin", "small.bin");
        assertThat(endOfFileReads).hasValue(0);
        Tree.assertSameTree(src, dst);
    }

    @Test
    void aFileChangedSinceTheScanIsCopiedAsItIsNow() throws Exception {
        Path src = Tree.at(tmp.resolve("src")).randomFile("grown.bin", 3000, 1).randomFile("shrunk.bin", 90_000, 2)
                .root();
        List<FileRow> scanned = rows(src, List.of(tmp.resolve("dst")), "grown.bin", "shrunk.bin");
        Tree.at(src).randomFile("grown.bin", 7000, 3).randomFile("shrunk.bin", 20_000, 4);
        Files.setLastModifiedTime(src.resolve("grown.bin"), java.nio.file.attribute.FileTime.fromMillis(1_000_000));
        Files.setLastModifiedTime(src.resolve("shrunk.bin"), java.nio.file.attribute.FileTime.fromMillis(2_000_000));
        Results results = new Results();
        new TransferPipeline(settings(1, 8192), new TransferStats(), roots(src, List.of(tmp.resolve("dst"))))
                .run(scanned.iterator(), results);
        assertThat(results.synced).containsOnlyKeys("grown.bin", "shrunk.bin");
        Tree.assertSameTree(src, tmp.resolve("dst"));
    }

    /** Copies {@code names} from {@code src} to {@code dst}; returns how often the writers flushed a temp file. */
    private int countFlushes(PipelineSettings settings, Path src, Path dst, Results results, String... names)
            throws IOException, InterruptedException {
        java.util.concurrent.atomic.AtomicInteger forces = new java.util.concurrent.atomic.AtomicInteger();
        LocalHooks.TempOpener counting = temp ->
                new CountingWriteChannel(LocalHooks.TempOpener.DEFAULT.open(temp), forces);
        new TransferPipeline(settings, new TransferStats(), roots(src, List.of(dst), new LocalHooks(LocalHooks.SourceOpener.DEFAULT, counting, LocalHooks.Renamer.DEFAULT))).run(rows(src, List.of(dst), names).iterator(), results);
        return forces.get();
    }

    /** One destination, 1 MiB blocks, one lane, under a 16 MiB/s limit; {@code fsync} as --fsync. */
    private PipelineSettings limitedTo16MiBPerSecond(boolean fsync) {
        return new PipelineSettings(1, 1 << 20, 2, HashAlgorithm.SHA256, BandwidthLimiter.of(16L << 20), false, fsync,
                Duration.ZERO, Clock.systemUTC(), RetryPolicy.none(), Optional.empty(), Optional.empty(), 1,
                SourceAccess.READ);
    }

    @Test
    void underABandwidthLimitWritesAreFlushedEveryQuarterSecondOfData() throws Exception {
        Path src = Tree.at(tmp.resolve("src")).randomFile("paced.bin", 10 << 20, 5).root();
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        Results results = new Results();
        int forces = countFlushes(limitedTo16MiBPerSecond(false), src, dst, results, "paced.bin");
        assertThat(results.synced).containsKey("paced.bin");
        assertThat(forces).as("a flush per 4 MiB (a quarter second at 16 MiB/s) of 10 MiB").isEqualTo(2);
        assertThat(dst.resolve("paced.bin")).hasSameBinaryContentAs(src.resolve("paced.bin"));
    }

    @Test
    void theBytesOfAFileAlreadyFlushedDoNotCountTowardsTheNextFilesFlush() throws Exception {
        Path src = Tree.at(tmp.resolve("src")).randomFile("a.bin", 3 << 20, 6).randomFile("b.bin", 3 << 20, 7).root();
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        // --fsync under a 16 MiB/s limit: flush every 4 MiB while writing, and once at the end of each file
        Results results = new Results();
        int forces = countFlushes(limitedTo16MiBPerSecond(true), src, dst, results, "a.bin", "b.bin");
        assertThat(results.synced).containsOnlyKeys("a.bin", "b.bin");
        assertThat(forces).as("one flush per 3 MiB file, none mid-file").isEqualTo(2);
    }

    @Test
    @Timeout(10)   // a guard: this run never ended, then took 20 s (its reader blocked putting END on the dead queue)
    void aWriterThatDiesOfAnErrorStopsTheRunInsteadOfLeavingItsReaderBlockedForEver() throws Exception {
        Path src = Tree.at(tmp.resolve("src")).randomFile("a.bin", 8 << 20, 1).randomFile("b.bin", 8 << 20, 2)
                .randomFile("c.bin", 8 << 20, 3).root();
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        LocalHooks.TempOpener dying = temp -> new DelegatingFileChannel(
                LocalHooks.TempOpener.DEFAULT.open(temp)) {
            @Override
            public int write(java.nio.ByteBuffer b) {
                throw new OutOfMemoryError("injected: Direct buffer memory");
            }
        };
        Results results = new Results();
        TransferPipeline pipeline = new TransferPipeline(settings(1, 1 << 20), new TransferStats(), roots(src,
                List.of(dst), new LocalHooks(LocalHooks.SourceOpener.DEFAULT, dying, LocalHooks.Renamer.DEFAULT)));
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> pipeline.run(rows(src, List.of(dst), "a.bin", "b.bin", "c.bin").iterator(), results))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("a writer for DEST stopped: java.lang.OutOfMemoryError: injected");
        assertThat(results.synced).isEmpty();
        try (Stream<Path> left = Files.list(dst)) {
            assertThat(left).as("no temp file is left").isEmpty();
        }
    }

    @Test
    void withoutABandwidthLimitNothingIsFlushedBeforeTheRename() throws Exception {
        Path src = Tree.at(tmp.resolve("src")).randomFile("fast.bin", 3 << 20, 5).root();
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        Results results = new Results();
        int forces = countFlushes(settings(1, 1 << 20), src, dst, results, "fast.bin");
        assertThat(results.synced).containsKey("fast.bin");
        assertThat(forces).isZero();
    }

    @Test
    void withFsyncWritersFlushEvery128MiBAndUnderABandwidthLimitAtLeastAsOftenAsItAsks() {
        assertThat(TransferPipeline.flushInterval(false, 0)).isZero();
        assertThat(TransferPipeline.flushInterval(false, 4 << 20)).isEqualTo(4 << 20);
        assertThat(TransferPipeline.flushInterval(true, 0)).isEqualTo(128L << 20);
        assertThat(TransferPipeline.flushInterval(true, 4 << 20)).isEqualTo(4 << 20);
        assertThat(TransferPipeline.flushInterval(true, 1L << 30)).isEqualTo(128L << 20);
    }

    @Test
    void largeFilesStreamOneAtATimeWhileSeveralTransfersRun() throws Exception {
        Tree src = Tree.at(tmp.resolve("src"));
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            names.add("big" + i + ".bin");
            src.randomFile("big" + i + ".bin", 300_000, i);
        }
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong();
        Map<String, long[]> readWindows = new java.util.concurrent.ConcurrentHashMap<>();
        LocalHooks.SourceOpener opener = p -> {
            long[] window = {Long.MAX_VALUE, Long.MIN_VALUE};
            readWindows.put(p.getFileName().toString(), window);
            return new DelegatingFileChannel(FileChannel.open(p, StandardOpenOption.READ)) {
                @Override
                public int read(java.nio.ByteBuffer b) throws IOException {
                    long t = clock.incrementAndGet();
                    window[0] = Math.min(window[0], t);
                    int n = super.read(b);
                    window[1] = Math.max(window[1], clock.incrementAndGet());
                    return n;
                }
            };
        };
        Results results = new Results();
        new TransferPipeline(settings(1, 64 * 1024, false, RetryPolicy.none(), 4), new TransferStats(), roots(src.root(), List.of(dst), new LocalHooks(opener, LocalHooks.TempOpener.DEFAULT, LocalHooks.Renamer.DEFAULT)))
                .run(rows(src.root(), List.of(dst), names.toArray(String[]::new)).iterator(), results);
        assertThat(results.synced).containsOnlyKeys(names);
        List<long[]> windows = new ArrayList<>(readWindows.values());
        windows.sort(java.util.Comparator.comparingLong(w -> w[0]));
        for (int i = 1; i < windows.size(); i++) {
            assertThat(windows.get(i)[0]).as("a large file started reading before the previous one ended")
                    .isGreaterThan(windows.get(i - 1)[1]);
        }
    }
}
