package dev.duplex.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.remote.protocol.FrameIO;
import dev.duplex.remote.protocol.FrameType;
import dev.duplex.remote.protocol.WireOut;
import dev.duplex.tree.RelPath;
import dev.duplex.tree.Tree;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Throws random and mutated frames at a running daemon: valid requests with bytes changed, inserted or cut off,
 * random bytes, and random frames of every type, before and after the handshake. After each, the daemon still
 * answers another client, and nothing outside its module has changed. The seed is fixed so that CI is repeatable;
 * more with {@code -Djqwik.tries.default=5000}.
 */
class DaemonFuzzTest {
    private static Path root;
    private static Path module;
    private static Path outside;
    private static Map<String, Long> outsideBefore;
    private static TestDaemon daemon;
    private static RemoteTree canary;

    @BeforeContainer
    static void start() throws Exception {
        root = Files.createTempDirectory("duplex-fuzz");
        module = Files.createDirectories(root.resolve("module"));
        outside = Files.createDirectories(root.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "do not touch");
        Files.createDirectories(module.resolve("dir"));
        Files.writeString(module.resolve("dir/file"), "content");
        Files.createSymbolicLink(module.resolve("out"), outside);
        outsideBefore = snapshot(outside);
        daemon = TestDaemon.builder().module("data", module).timeouts(Duration.ofSeconds(2), Duration.ofSeconds(2))
                .maxConnections(64).start();
        canary = daemon.connect("data", false);
    }

    @AfterContainer
    static void stop() throws IOException {
        canary.close();
        daemon.close();
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static Map<String, Long> snapshot(Path dir) throws IOException {
        Map<String, Long> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.toList()) {
                m.put(dir.relativize(p).toString(), Files.isRegularFile(p) ? Files.size(p) : -1);
            }
        }
        return m;
    }

    /** A session: an optional handshake, then frames as bytes. */
    record Attack(boolean handshake, boolean write, byte[] bytes) {}

    private static final List<byte[]> VALID = validFrames();

    private static List<byte[]> validFrames() {
        List<byte[]> frames = new ArrayList<>();
        frames.add(frame(FrameType.STAT, 1, new WireOut().path(RelPath.of("dir/file")).u8(0).toBytes()));
        frames.add(frame(FrameType.READ, 2, new WireOut().path(RelPath.of("dir/file")).u8(0).string("sha256").i64(0)
                .i32(65536).toBytes()));
        frames.add(frame(FrameType.HASH, 3, new WireOut().path(RelPath.of("dir/file")).string("sha256").toBytes()));
        frames.add(frame(FrameType.TEMP_OPEN, 4, new WireOut().path(RelPath.of("new/x")).string("sha256").i64(99)
                .toBytes()));
        frames.add(frame(FrameType.TEMP_DATA, 4, WireOut.dataBody(ByteBuffer.wrap(new byte[100]))));
        frames.add(frame(FrameType.PUT_BATCH, 5, new WireOut().i64(77).i32(1).path(RelPath.of("new/y")).bytes(new byte[3])
                .i64(3).i64(0).i32(0).i64(0).i32(0).bool(false).bool(false).bool(false).bool(false).string("0644")
                .bool(false).bool(false).string("sha256").bool(false).toBytes()));
        frames.add(frame(FrameType.COMMIT_BATCH, 6, new WireOut().i32(1).path(RelPath.of("new/x")).i64(-1)
                .toBytes()));
        frames.add(frame(FrameType.MKDIRS, 7, new WireOut().path(RelPath.of("made/dirs")).toBytes()));
        frames.add(frame(FrameType.DELETE, 8, new WireOut().path(RelPath.of("made/dirs")).toBytes()));
        frames.add(frame(FrameType.WALK, 9, new WireOut().path(RelPath.ROOT).i32(0).bool(false).bool(false).u8(0)
                .bool(false).bool(false).bool(false).i32(0).bool(false).u8(0).toBytes()));
        frames.add(frame(FrameType.TEMP_RESUME, 10, new WireOut().path(RelPath.of("new/x")).i64(99).toBytes()));
        frames.add(frame(FrameType.WRITE_SMALL, 11, new WireOut().path(RelPath.of("out/planted")).bytes(new byte[2])
                .toBytes()));
        return frames;
    }

    private static byte[] frame(FrameType type, int id, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            FrameIO.write(out, type, id, body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    @Provide
    Arbitrary<Attack> attacks() {
        Arbitrary<byte[]> mutated = Combinators.combine(
                Arbitraries.integers().between(0, VALID.size() - 1).list().ofMinSize(1).ofMaxSize(4),
                Arbitraries.integers().between(0, 10_000).list().ofMaxSize(6),
                Arbitraries.integers().between(0, 255).list().ofMaxSize(6),
                Arbitraries.integers().between(0, 100))
                .as((which, positions, values, cutPercent) -> {
                    ByteArrayOutputStream all = new ByteArrayOutputStream();
                    which.forEach(i -> all.writeBytes(VALID.get(i)));
                    byte[] b = all.toByteArray();
                    for (int i = 0; i < Math.min(positions.size(), values.size()); i++) {
                        b[positions.get(i) % b.length] = (byte) (int) values.get(i);
                    }
                    int keep = cutPercent >= 80 ? b.length : Math.max(1, b.length * cutPercent / 80);
                    return java.util.Arrays.copyOf(b, keep);
                });
        Arbitrary<byte[]> randomFrames = Combinators.combine(
                Arbitraries.of(FrameType.values()), Arbitraries.integers(),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(300))
                .as((type, id, body) -> frame(type, id, body)).list().ofMinSize(1).ofMaxSize(5)
                .map(list -> {
                    ByteArrayOutputStream all = new ByteArrayOutputStream();
                    list.forEach(all::writeBytes);
                    return all.toByteArray();
                });
        Arbitrary<byte[]> noise = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(2000);
        return Combinators.combine(Arbitraries.of(true, true, true, false), Arbitraries.of(true, false),
                Arbitraries.oneOf(mutated, mutated, randomFrames, noise)).as(Attack::new);
    }

    @Property(tries = 1000, seed = "20261201", shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.MIXIN)
    void theDaemonSurvivesAnyInputAndNeverLeavesItsModule(@ForAll("attacks") Attack attack) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", daemon.port()), 5_000);
            s.setSoTimeout(3_000);
            if (attack.handshake()) {
                s.getOutputStream().write(frame(FrameType.HELLO, 0, RawClient.hello(List.of(1), TestDaemon.TOKEN,
                        "data", "", attack.write())));
            }
            try {
                s.getOutputStream().write(attack.bytes());
                s.getOutputStream().flush();
                s.shutdownOutput(); // the end of the attack: the daemon answers what it can, then closes
                drain(s.getInputStream());
            } catch (IOException closedByTheDaemon) {
                // a hostile client's connection is closed: that is the point
            }
        }
        assertThat(canary.stat(RelPath.of("dir/file"), Tree.Detail.BASIC)).isPresent();
        assertThat(snapshot(outside)).isEqualTo(outsideBefore);
        assertThat(daemon.sessionsFailed()).as("sessions ended by an unexpected exception").isZero();
    }

    /** Reads what the daemon answers until it closes (or, should it not, is quiet for a while). */
    private static void drain(InputStream in) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        try {
            while (in.read(buffer) >= 0) {
                // discarded
            }
        } catch (java.net.SocketTimeoutException quiet) {
            // the daemon waits for more: fine
        }
    }
}
