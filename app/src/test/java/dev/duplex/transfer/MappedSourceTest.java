package dev.duplex.transfer;

import dev.duplex.digest.HashAlgorithm;
import static dev.duplex.transfer.ScannedRows.roots;
import static dev.duplex.transfer.ScannedRows.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.duplex.report.TransferStats;
import dev.duplex.tree.LocalHooks;
import dev.duplex.tree.LocalTree;
import dev.duplex.testing.Tree;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large source files read as memory maps ({@link SourceAccess#MAP}): the same bytes and hashes as reading, every
 * map released when its last holder is done, and a source that cannot be mapped read instead. What a map does when
 * the source changes under it is in {@link SourceChangeDuringCopyTest}, which runs every change with both accesses.
 */
@Timeout(60)
class MappedSourceTest {
    private static final int BLOCK = 64 * 1024;
    @TempDir
    Path tmp;

    private static PipelineSettings settings(int destinations, boolean verify) {
        return new PipelineSettings(destinations, BLOCK, 3, HashAlgorithm.SHA256, BandwidthLimiter.unlimited(),
                verify, false, Duration.ZERO, Clock.systemUTC(), RetryPolicy.none(), Optional.empty(), Optional.empty(), 2,
                SourceAccess.MAP);
    }

    @Test
    void filesOfEveryShapeAroundTheBlockSizeArriveWholeOnBothDestinationsWithTheirHashes() throws Exception {
        Tree tree = Tree.at(tmp.resolve("src"));
        String[] names = {"one-byte", "small", "block-plus-one", "two-blocks", "odd", "big"};
        int[] sizes = {1, 5_000, BLOCK + 1, 2 * BLOCK, 7 * BLOCK + 12_345, 3_000_000};
        for (int i = 0; i < names.length; i++) {
            tree.randomFile(names[i], sizes[i], i);
        }
        Path src = tree.root();
        List<Path> dests = List.of(tmp.resolve("a"), tmp.resolve("b"));
        TransferPipelineTest.Results results = new TransferPipelineTest.Results();
        new TransferPipeline(settings(2, false), new TransferStats(), roots(src, dests, LocalHooks.REAL))
                .run(rows(src, dests, names).iterator(), results);

        assertThat(results.failed).isEmpty();
        assertThat(results.synced).containsOnlyKeys(names);
        for (String n : names) {
            assertThat(results.synced.get(n)).as(n).isEqualTo(sha256(src.resolve(n)));
            for (Path d : dests) {
                assertThat(d.resolve(n)).hasSameBinaryContentAs(src.resolve(n));
            }
        }
        assertThat(mapsOf(src)).as("maps of source files left after the run").isEmpty();
    }

    /** The hash is taken by the first destination that needs the file; here only the second one does. */
    @Test
    void aFileOnlyTheSecondDestinationNeedsIsHashedByItsWriter() throws Exception {
        Path src = Tree.at(tmp.resolve("src")).randomFile("late.bin", 5 * BLOCK + 99, 4).root();
        dev.duplex.backlog.FileRow all = rows(src, List.of(tmp.resolve("a"), tmp.resolve("b")), "late.bin").get(0);
        dev.duplex.backlog.FileRow onlyB = new dev.duplex.backlog.FileRow(all.path(), List.of(1), all.metadata());
        TransferPipelineTest.Results results = new TransferPipelineTest.Results();
        new TransferPipeline(settings(2, false), new TransferStats(),
                roots(src, List.of(tmp.resolve("a"), tmp.resolve("b"))))
                .run(List.of(onlyB).iterator(), results);
        assertThat(results.synced).containsEntry("late.bin", sha256(src.resolve("late.bin")));
        assertThat(tmp.resolve("b/late.bin")).hasSameBinaryContentAs(src.resolve("late.bin"));
        assertThat(tmp.resolve("a/late.bin")).doesNotExist();
    }

    /** --verify compares each temp with the hash of what was read, so a verified run reads even when asked to map. */
    @Test
    void aVerifiedRunReadsAndVerifiesBothCopies() throws Exception {
        Path src = Tree.at(tmp.resolve("src")).randomFile("v.bin", 3 * BLOCK + 5, 5).root();
        AtomicInteger maps = new AtomicInteger();
        LocalHooks.SourceOpener counting = beforeEachMap(maps::incrementAndGet);
        TransferPipelineTest.Results results = new TransferPipelineTest.Results();
        new TransferPipeline(settings(2, true), new TransferStats(), roots(src, List.of(tmp.resolve("a"), tmp.resolve("b")), new LocalHooks(counting, LocalHooks.TempOpener.DEFAULT, LocalHooks.Renamer.DEFAULT)))
                .run(rows(src, List.of(tmp.resolve("a"), tmp.resolve("b")), "v.bin").iterator(), results);
        assertThat(results.synced).containsEntry("v.bin", sha256(src.resolve("v.bin")));
        assertThat(maps).hasValue(0);
    }

    /** More blocks than the pool holds, so the reader must wait for unmapped blocks: back-pressure, not a leak. */
    @Test
    void aFileOfManyMoreBlocksThanThePoolHoldsIsCopiedWithFewMapsAtATime() throws Exception {
        Path src = Tree.at(tmp.resolve("src")).randomFile("long.bin", 200 * BLOCK + 3, 7).root();
        AtomicInteger maps = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        LocalHooks.SourceOpener counting = beforeEachMap(() -> {
            maps.incrementAndGet();
            mostAtOnce.accumulateAndGet((int) (mappedBytesOf(src) / BLOCK), Math::max);
        });
        TransferPipelineTest.Results results = new TransferPipelineTest.Results();
        new TransferPipeline(settings(1, false), new TransferStats(), roots(src, List.of(tmp.resolve("a")), new LocalHooks(counting, LocalHooks.TempOpener.DEFAULT, LocalHooks.Renamer.DEFAULT)))
                .run(rows(src, List.of(tmp.resolve("a")), "long.bin").iterator(), results);
        assertThat(results.synced).containsEntry("long.bin", sha256(src.resolve("long.bin")));
        assertThat(maps.get()).isEqualTo(201);
        // at most the pool of a queue of 3 with 2 lanes: 3 + 2 x 2 blocks
        assertThat(mostAtOnce.get()).isBetween(1, 7);
        assertThat(tmp.resolve("a/long.bin")).hasSameBinaryContentAs(src.resolve("long.bin"));
        assertThat(mapsOf(src)).isEmpty();
    }

    @Test
    void aSourceThatCannotBeMappedIsReadInstead() throws Exception {
        Path src = Tree.at(tmp.resolve("src")).randomFile("a.bin", 3 * BLOCK + 1, 1).randomFile("b.bin", 2 * BLOCK, 2)
                .root();
        LocalHooks.SourceOpener unmappable = beforeEachMap(() -> {
            throw new IOException("No such device"); // what mmap on a FUSE file opened with direct_io says
        });
        TransferPipelineTest.Results results = new TransferPipelineTest.Results();
        new TransferPipeline(settings(1, false), new TransferStats(), roots(src, List.of(tmp.resolve("a")), new LocalHooks(unmappable, LocalHooks.TempOpener.DEFAULT, LocalHooks.Renamer.DEFAULT)))
                .run(rows(src, List.of(tmp.resolve("a")), "a.bin", "b.bin").iterator(), results);
        assertThat(results.failed).isEmpty();
        assertThat(results.synced).containsEntry("a.bin", sha256(src.resolve("a.bin")))
                .containsEntry("b.bin", sha256(src.resolve("b.bin")));
    }

    @Test
    void autoMapsOnlyBetweenLocalFileSystemsAndNeverUnderABandwidthLimitOrVerify() throws IOException {
        List<Path> dests = List.of(tmp.resolve("a"));
        assertThat(SourceAccess.choose(SourceAccess.Choice.NEVER, roots(tmp, dests), false, false))
                .isEqualTo(SourceAccess.READ);
        assertThat(SourceAccess.choose(SourceAccess.Choice.ALWAYS, roots(tmp, dests), false, false))
                .isEqualTo(SourceAccess.MAP);
        for (SourceAccess.Choice c : SourceAccess.Choice.values()) {
            assertThat(SourceAccess.choose(c, roots(tmp, dests), true, false)).as(c + " with --bwlimit")
                    .isEqualTo(SourceAccess.READ);
            assertThat(SourceAccess.choose(c, roots(tmp, dests), false, true)).as(c + " with --verify")
                    .isEqualTo(SourceAccess.READ);
        }
        assertThat(SourceAccess.isLocal(Path.of("/proc"))).as("procfs").isFalse();
        assertThat(SourceAccess.choose(SourceAccess.Choice.AUTO, roots(tmp, List.of(Path.of("/proc/x"))), false, false))
                .as("a destination that is not on a local disk").isEqualTo(SourceAccess.READ);
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "the local file system list is Linux's");
        Path shm = Path.of("/dev/shm");
        assumeTrue(Files.isDirectory(shm) && Files.getFileStore(shm).type().equals("tmpfs"), "needs /dev/shm on tmpfs");
        assertThat(SourceAccess.choose(SourceAccess.Choice.AUTO, roots(shm, List.of(shm.resolve("not/yet/made"))), false,
                false)).as("tmpfs to a destination still to be created").isEqualTo(SourceAccess.MAP);
        assertThat(SourceAccess.choose(SourceAccess.Choice.AUTO, roots(Path.of("/proc"), List.of(shm)), false, false))
                .isEqualTo(SourceAccess.READ);
    }

    /** A change after the reader's last check, while the writers finish: the commit stage's check catches it. */
    @Test
    void aSourceChangedAfterItsLastBlockWasSentIsNotCommitted() throws Exception {
        Path src = Tree.at(tmp.resolve("src")).randomFile("late.bin", 4 * BLOCK, 8).root();
        Path file = src.resolve("late.bin");
        AtomicInteger closes = new AtomicInteger();
        LocalHooks.TempOpener touchingOnClose = temp -> new DelegatingFileChannel(
                LocalHooks.TempOpener.DEFAULT.open(temp)) {
            @Override
            protected void implCloseChannel() throws IOException {
                super.implCloseChannel();
                if (closes.incrementAndGet() == 1) { // the writer closes its temp file after the last block
                    Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(123_000));
                }
            }
        };
        TransferPipelineTest.Results results = new TransferPipelineTest.Results();
        new TransferPipeline(settings(1, false), new TransferStats(), roots(src, List.of(tmp.resolve("a")), new LocalHooks(LocalHooks.SourceOpener.DEFAULT, touchingOnClose, LocalHooks.Renamer.DEFAULT)))
                .run(rows(src, List.of(tmp.resolve("a")), "late.bin").iterator(), results);
        assertThat(results.synced).isEmpty();
        assertThat(results.deferred).containsExactly("late.bin");
        assertThat(tmp.resolve("a/late.bin")).doesNotExist();
        assertThat(mapsOf(src)).isEmpty();
    }

    /** A full destination while writing a mapped block is the destination's failure, not a source change. */
    @Test
    void aDestinationWriteFailureOfAMappedFileIsTheDestinationsFault() throws Exception {
        Path src = Tree.at(tmp.resolve("src")).randomFile("big.bin", 4 * BLOCK, 9).root();
        LocalHooks.TempOpener full = temp -> new DelegatingFileChannel(
                LocalHooks.TempOpener.DEFAULT.open(temp)) {
            @Override
            public int write(java.nio.ByteBuffer b) throws IOException {
                throw new IOException("No space left on device");
            }
        };
        List<String> sides = new java.util.ArrayList<>();
        TransferPipelineTest.Results results = new TransferPipelineTest.Results() {
            @Override
            public void failed(FileTicket f, Side side, String reason) {
                sides.add(side.name());
                super.failed(f, side, reason);
            }
        };
        new TransferPipeline(settings(1, false), new TransferStats(), roots(src, List.of(tmp.resolve("a")), new LocalHooks(LocalHooks.SourceOpener.DEFAULT, full, LocalHooks.Renamer.DEFAULT)))
                .run(rows(src, List.of(tmp.resolve("a")), "big.bin").iterator(), results);
        assertThat(results.deferred).isEmpty();
        assertThat(results.failed.get("big.bin")).contains("No space left on device");
        assertThat(sides).containsExactly("DESTINATION");
        assertThat(mapsOf(src)).isEmpty();
    }

    /** Something a test does before each map of a source block; it may throw, as the map would. */
    @FunctionalInterface
    private interface MapHook {
        void run() throws IOException;
    }

    /** A source opener whose channels run {@code hook} before each map. */
    private static LocalHooks.SourceOpener beforeEachMap(MapHook hook) {
        return p -> new DelegatingFileChannel(FileChannel.open(p, StandardOpenOption.READ)) {
            @Override
            public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
                hook.run();
                return super.map(mode, position, size);
            }
        };
    }

    /** Lines of /proc/self/maps that map a file under {@code dir}: what this JVM still has mapped of it. */
    private static List<String> mapsOf(Path dir) throws IOException {
        Path maps = Path.of("/proc/self/maps");
        assumeTrue(Files.isReadable(maps), "needs /proc/self/maps to see what is mapped");
        return Files.readAllLines(maps).stream().filter(l -> l.contains(dir.toString())).toList();
    }

    /** Bytes of files under {@code dir} this JVM has mapped now (adjacent maps may share one line of the table). */
    private static long mappedBytesOf(Path dir) throws IOException {
        long bytes = 0;
        for (String line : mapsOf(dir)) {
            String[] range = line.substring(0, line.indexOf(' ')).split("-");
            bytes += Long.parseUnsignedLong(range[1], 16) - Long.parseUnsignedLong(range[0], 16);
        }
        return bytes;
    }

    private static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }
}
