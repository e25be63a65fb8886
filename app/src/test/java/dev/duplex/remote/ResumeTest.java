package dev.duplex.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.digest.HashAlgorithm;
import dev.duplex.tree.Entry;
import dev.duplex.tree.FileMetadata;
import dev.duplex.tree.RelPath;
import dev.duplex.tree.SourceFile;
import dev.duplex.tree.TempFile;
import dev.duplex.tree.Tree;
import dev.duplex.tree.WalkRules;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A connection that drops in the middle of a transfer: the client connects again and goes on, and a large file
 * goes on from the bytes both sides agree on, not from byte 0 (the relay's byte counts prove it). Every drop here
 * is made by {@link CuttingProxy} at an exact byte count.
 */
class ResumeTest {
    private static final int MIB = 1024 * 1024;
    private static final Instant MTIME = Instant.parse("2020-01-02T03:04:05Z");

    @TempDir
    Path tmp;

    private Path module;
    private TestDaemon daemon;
    private CuttingProxy proxy;

    @BeforeEach
    void setUp() throws Exception {
        module = Files.createDirectories(tmp.resolve("module"));
        daemon = TestDaemon.builder().module("data", module).start();
        proxy = new CuttingProxy(daemon.port());
    }

    @AfterEach
    void tearDown() throws IOException {
        proxy.close();
        daemon.close();
    }

    private RemoteTree viaProxy(boolean write) throws IOException {
        return RemoteTree.connect(Endpoint.parse("duplex://127.0.0.1:" + proxy.port() + "/data"), daemon.client(),
                write, HashAlgorithm.SHA256);
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static FileMetadata meta(long size) {
        return new FileMetadata(size, MTIME, MTIME, Optional.empty(), Optional.empty(), "0644");
    }

    @Test
    void aPushCutInTheMiddleGoesOnFromWhatTheDaemonHolds() throws Exception {
        byte[] content = random(64 * MIB, 1);
        proxy.cutUpstreamAt(40L * MIB);
        try (RemoteTree tree = viaProxy(true)) {
            RelPath p = RelPath.of("dir/big.bin");
            TempFile temp = tree.createTemp(p);
            for (int off = 0; off < content.length; off += 4 * MIB) {
                temp.write(ByteBuffer.wrap(content, off, 4 * MIB));
            }
            temp.finish(new TempFile.Finish(meta(content.length), false, false, HashAlgorithm.SHA256,
                    Optional.of(sha256(content)))).get();
            tree.commit(p).get();
        }
        assertThat(proxy.hasCut()).isTrue();
        assertThat(Files.readAllBytes(module.resolve("dir/big.bin"))).isEqualTo(content);
        assertThat(Files.getLastModifiedTime(module.resolve("dir/big.bin")).toInstant()).isEqualTo(MTIME);
        // from byte 0 it would be at least 64 + 40 MiB; a resume sends again at most the unacknowledged window
        assertThat(proxy.upstreamBytes()).isLessThan(64L * MIB + RemoteTempFile.WINDOW + MIB);
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void aPushWhoseOpeningTheDropTookIsOpenedAgainWithEverythingStillHere() throws Exception {
        // found by the drop test of a whole run: the daemon answered "no transfer to resume" when the drop had
        // taken the TEMP_OPEN itself; the client still held every byte, and now opens it again
        byte[] content = random(3 * MIB, 5);
        try (RemoteTree tree = viaProxy(true)) {
            assertThat(tree.stat(RelPath.ROOT, Tree.Detail.BASIC)).isPresent(); // the control connection is open
            long hello = 9 + new dev.duplex.remote.protocol.Handshake.Hello(
                    dev.duplex.remote.protocol.Handshake.VERSIONS, daemon.client().software(),
                    daemon.client().clientId(), TestDaemon.TOKEN, "data", "", true).encode().length;
            proxy.cutUpstreamAt(proxy.upstreamBytes() + hello + 6); // inside the data connection's TEMP_OPEN
            RelPath p = RelPath.of("opened-twice.bin");
            TempFile temp = tree.createTemp(p);
            temp.write(ByteBuffer.wrap(content));
            temp.finish(new TempFile.Finish(meta(content.length), false, false, HashAlgorithm.SHA256,
                    Optional.of(sha256(content)))).get();
            tree.commit(p).get();
        }
        assertThat(proxy.hasCut()).isTrue();
        assertThat(Files.readAllBytes(module.resolve("opened-twice.bin"))).isEqualTo(content);
    }

    @Test
    void aPullCutInTheMiddleGoesOnFromTheBytesReceived() throws Exception {
        byte[] content = random(64 * MIB, 2);
        Files.write(module.resolve("big.bin"), content);
        proxy.cutDownstreamAt(40L * MIB);
        byte[] read = new byte[content.length];
        Optional<String> sentHash;
        try (RemoteTree tree = viaProxy(false);
             SourceFile in = tree.openRead(RelPath.of("big.bin"), Tree.Detail.FULL)) {
            ByteBuffer buffer = ByteBuffer.wrap(read);
            while (in.read(buffer) >= 0 && buffer.hasRemaining()) {
                // reading on
            }
            assertThat(buffer.hasRemaining()).isFalse();
            assertThat(in.metadataNow()).isPresent();
            sentHash = in.sourceHash();
        }
        assertThat(proxy.hasCut()).isTrue();
        assertThat(read).isEqualTo(content);
        assertThat(sentHash).contains(sha256(content)); // the daemon hashed the part before the resume too
        assertThat(proxy.downstreamBytes()).isLessThan(64L * MIB + 24L * MIB);
    }

    @Test
    void smallFilesAndCommitsInFlightWhenTheConnectionDropsAreSentAgain() throws Exception {
        int files = 400;
        proxy.cutUpstreamAt(1_500_000);
        try (RemoteTree tree = viaProxy(true)) {
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (int i = 0; i < files; i++) {
                byte[] content = random(8 * 1024, 100 + i);
                RelPath p = RelPath.of("small/f" + i);
                TempFile temp = tree.createTemp(p);
                temp.write(ByteBuffer.wrap(content));
                done.add(temp.finish(new TempFile.Finish(meta(content.length), false, false, HashAlgorithm.SHA256,
                        Optional.of(sha256(content)))).thenCompose(v -> tree.commit(p)));
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get();
        }
        assertThat(proxy.hasCut()).isTrue();
        for (int i = 0; i < files; i++) {
            assertThat(Files.readAllBytes(module.resolve("small/f" + i))).isEqualTo(random(8 * 1024, 100 + i));
        }
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void aWalkCutInTheMiddleHandsOnEveryEntryOnceInOrder() throws Exception {
        for (int d = 0; d < 40; d++) {
            for (int f = 0; f < 100; f++) {
                Files.createDirectories(module.resolve("d" + d));
                Files.writeString(module.resolve("d" + d + "/file-with-a-long-name-" + f), "x");
            }
        }
        List<Entry> direct = new ArrayList<>();
        try (RemoteTree tree = daemon.connect("data", false)) {
            tree.walk(WalkRules.ALL, Tree.Detail.FULL, ConfinementTest.sink(direct));
        }
        proxy.cutDownstreamAt(150_000);
        List<Entry> cut = new ArrayList<>();
        try (RemoteTree tree = viaProxy(false)) {
            tree.walk(WalkRules.ALL, Tree.Detail.FULL, ConfinementTest.sink(cut));
        }
        assertThat(proxy.hasCut()).isTrue();
        assertThat(cut).extracting(e -> e.path().toString())
                .containsExactlyElementsOf(direct.stream().map(e -> e.path().toString()).toList());
    }

    @Test
    void aTransferNobodyResumesIsRemovedWhenTheDaemonStops() throws Exception {
        try (RawClient raw = RawClient.connect(daemon, "data", true)) {
            raw.send(dev.duplex.remote.protocol.FrameType.TEMP_OPEN, 1, new dev.duplex.remote.protocol.WireOut()
                    .path(RelPath.of("half.bin")).string("sha256").i64(42).toBytes());
            raw.send(dev.duplex.remote.protocol.FrameType.TEMP_DATA, 1,
                    dev.duplex.remote.protocol.WireOut.dataBody(ByteBuffer.wrap(random(3 * MIB, 3))));
            assertThat(raw.read().type()).isEqualTo(dev.duplex.remote.protocol.FrameType.TEMP_ACK); // 3 MiB held
        }
        assertThat(leftovers()).hasSize(1); // parked for a resume
        daemon.close();
        assertThat(leftovers()).isEmpty();
        assertThat(module.resolve("half.bin")).doesNotExist();
    }

    private List<Path> leftovers() throws IOException {
        try (Stream<Path> s = Files.walk(module)) {
            return s.filter(p -> p.getFileName().toString().contains(dev.duplex.tree.TempName.SUFFIX)).toList();
        }
    }
}
