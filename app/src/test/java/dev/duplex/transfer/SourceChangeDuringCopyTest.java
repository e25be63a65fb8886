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
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A source file that changes while it is being copied: the change is made by the source opener's channel right
 * after the first read, so it lands mid-copy every time (no timing). A change the size and mtime show is never
 * committed: no final name, no temp file, the file is deferred (stays pending) and the next attempt copies the
 * new version. Whatever is committed carries the hash of exactly the bytes committed.
 */
@Timeout(60)
class SourceChangeDuringCopyTest {
    @TempDir
    Path tmp;

    /** What the commit stage reported, by file name; a partial commit counts as a failure here. */
    static final class Results extends TransferPipelineTest.Results {
        @Override
        public void partiallyCommitted(FileTicket file, String reason) {
            failed.put(file.path().name(), "partial: " + reason);
        }
    }

    /** What happens to the source file during the copy. */
    enum Change {
        OVERWRITTEN_SAME_SIZE, TRUNCATED, EMPTIED, APPENDED, DELETED, REPLACED_BY_RENAME;

        void apply(Path file) {
            try {
                switch (this) {
                    case OVERWRITTEN_SAME_SIZE -> {
                        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                            ch.write(ByteBuffer.wrap(new byte[] {'X', 'Y', 'Z'}), 10);
                        } // the write moves the mtime, as any writer's does
                    }
                    case TRUNCATED -> {
                        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                            ch.truncate(ch.size() / 3);
                        }
                    }
                    case EMPTIED -> { // a mapped block now lies wholly past the end: reading it faults (SIGBUS)
                        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                            ch.truncate(0);
                        }
                    }
                    case APPENDED -> Files.write(file, new byte[] {1, 2, 3}, StandardOpenOption.APPEND);
                    case DELETED -> Files.delete(file);
                    case REPLACED_BY_RENAME -> {
                        Path fresh = file.resolveSibling("fresh.tmp");
                        Files.write(fresh, new byte[(int) Files.size(file) + 7]);
                        Files.move(fresh, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (SourceAccess access : SourceAccess.values()) {
            for (Change c : Change.values()) {
                for (int size : new int[] {5_000, 3_000_000}) {
                    for (int destinations = 1; destinations <= 2; destinations++) {
                        out.add(Arguments.of(c, size, destinations, access));
                    }
                }
            }
        }
        return out.stream();
    }

    /**
     * A source opener whose channel runs {@code change} once, after the first read or the first map of
     * {@code name}: a mapped block's bytes are read only later, by the hasher and the writers, so the change lands
     * between the map and the use of its bytes.
     */
    private static LocalHooks.SourceOpener changing(String name, Runnable change) {
        AtomicBoolean done = new AtomicBoolean();
        return p -> {
            FileChannel real = FileChannel.open(p, StandardOpenOption.READ);
            if (!p.getFileName().toString().equals(name)) {
                return real;
            }
            return new DelegatingFileChannel(real) {
                @Override
                public int read(ByteBuffer dst) throws IOException {
                    int n = super.read(dst);
                    if (n > 0 && done.compareAndSet(false, true)) {
                        change.run();
                    }
                    return n;
                }

                @Override
                public java.nio.MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
                    java.nio.MappedByteBuffer map = super.map(mode, position, size);
                    if (done.compareAndSet(false, true)) {
                        change.run();
                    }
                    return map;
                }
            };
        };
    }

    private static PipelineSettings settings(int destinations, SourceAccess access) {
        return new PipelineSettings(destinations, 64 * 1024, 4, HashAlgorithm.SHA256, BandwidthLimiter.unlimited(),
                false, false, Duration.ZERO, Clock.systemUTC(), RetryPolicy.none(), Optional.empty(), Optional.empty(), 2,
                access);
    }

    @ParameterizedTest(name = "{0}, {1} bytes, {2} destination(s), {3}")
    @MethodSource("cases")
    void aFileChangedDuringItsCopyIsNeverCommittedAndTheNextAttemptCopiesTheNewVersion(Change change, int size,
                                                                                      int destinations,
                                                                                      SourceAccess access)
            throws Exception {
        Path src = Tree.at(tmp.resolve("src")).randomFile("moving.bin", size, 1).randomFile("calm.bin", 20_000, 2)
                .root();
        List<Path> dests = destinations == 1 ? List.of(tmp.resolve("a")) : List.of(tmp.resolve("a"), tmp.resolve("b"));
        List<FileRow> scanned = rows(src, dests, "calm.bin", "moving.bin");
        Results results = new Results();
        new TransferPipeline(settings(destinations, access), new TransferStats(), roots(src, dests,
                new LocalHooks(changing("moving.bin", () -> change.apply(src.resolve("moving.bin"))),
                        LocalHooks.TempOpener.DEFAULT, LocalHooks.Renamer.DEFAULT)))
                .run(scanned.iterator(), results);

        assertThat(results.synced).containsOnlyKeys("calm.bin");
        assertThat(results.deferred).containsExactly("moving.bin");
        assertThat(results.failed).isEmpty();
        assertThat(results.prepared).doesNotContain("moving.bin");
        if (Files.isReadable(Path.of("/proc/self/maps"))) { // every map released, also on these abort paths
            assertThat(Files.readAllLines(Path.of("/proc/self/maps"))).noneMatch(l -> l.contains(src.toString()));
        }
        for (Path d : dests) {
            assertThat(d.resolve("moving.bin")).doesNotExist();
            assertThat(TempName.forFinal(d.resolve("moving.bin"))).doesNotExist();
            assertThat(d.resolve("calm.bin")).hasSameBinaryContentAs(src.resolve("calm.bin"));
        }

        // the next attempt (from the same stale backlog row) copies what the source holds now, or drops it
        Results next = new Results();
        new TransferPipeline(settings(destinations, access), new TransferStats(), roots(src, dests))
                .run(scanned.subList(1, 2).iterator(), next);
        if (change == Change.DELETED) {
            assertThat(next.failed).containsEntry("moving.bin", "vanished");
            return;
        }
        assertThat(next.synced).containsOnlyKeys("moving.bin");
        assertThat(next.synced.get("moving.bin")).isEqualTo(sha256(src.resolve("moving.bin")));
        for (Path d : dests) {
            assertThat(d.resolve("moving.bin")).hasSameBinaryContentAs(src.resolve("moving.bin"));
            assertThat(Files.getLastModifiedTime(d.resolve("moving.bin")))
                    .isEqualTo(Files.getLastModifiedTime(src.resolve("moving.bin")));
        }
    }

    /**
     * The one change size and mtime cannot show: same size, and the writer puts the old mtime back (or writes within
     * the same clock tick). Like rsync and robocopy, duplex cannot see it during the copy; what it guarantees still
     * holds: the committed file carries the hash of exactly the bytes committed, never a hash of other bytes.
     */
    static Stream<Arguments> hiddenChangeCases() {
        return Stream.of(Arguments.of(5_000, SourceAccess.READ), Arguments.of(3_000_000, SourceAccess.READ),
                Arguments.of(3_000_000, SourceAccess.MAP));
    }

    @ParameterizedTest(name = "{0} bytes, {1}")
    @MethodSource("hiddenChangeCases")
    void aChangeThatHidesItsMtimeIsCommittedWithTheHashOfWhatWasWritten(int size, SourceAccess access)
            throws Exception {
        Path src = Tree.at(tmp.resolve("src")).randomFile("sly.bin", size, 3).root();
        Path file = src.resolve("sly.bin");
        FileTime mtime = Files.getLastModifiedTime(file);
        Runnable sly = () -> {
            Change.OVERWRITTEN_SAME_SIZE.apply(file);
            try {
                Files.setLastModifiedTime(file, mtime);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        Results results = new Results();
        new TransferPipeline(settings(1, access), new TransferStats(), roots(src, List.of(tmp.resolve("a")), new LocalHooks(changing("sly.bin", sly), LocalHooks.TempOpener.DEFAULT, LocalHooks.Renamer.DEFAULT)))
                .run(rows(src, List.of(tmp.resolve("a")), "sly.bin").iterator(), results);
        assertThat(results.synced).containsOnlyKeys("sly.bin");
        assertThat(results.synced.get("sly.bin")).isEqualTo(sha256(tmp.resolve("a/sly.bin")));
    }

    private static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }
}
