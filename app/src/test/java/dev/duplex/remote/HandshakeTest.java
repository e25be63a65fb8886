package dev.duplex.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.duplex.digest.HashAlgorithm;
import dev.duplex.remote.protocol.Frame;
import dev.duplex.remote.protocol.FrameType;
import dev.duplex.remote.protocol.Handshake;
import dev.duplex.remote.protocol.WireIn;
import dev.duplex.tree.RelPath;
import dev.duplex.tree.Tree;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The handshake refuses before any file operation: a wrong or missing token, an unknown module, a write to a
 * read-only module, no common version, a client over --max-connections, an untrusted certificate. Malformed and
 * oversized frames and a silent client end that connection only.
 */
class HandshakeTest {
    @TempDir
    Path tmp;

    private TestDaemon daemon(TestDaemon.Builder b) throws Exception {
        Files.createDirectories(tmp.resolve("m"));
        Files.createDirectories(tmp.resolve("ro"));
        Files.writeString(tmp.resolve("m/file"), "content");
        return b.module("data", tmp.resolve("m")).readOnlyModule("archive", tmp.resolve("ro")).start();
    }

    private static RefusedException refused(TestDaemon d, String moduleAndPath, Optional<String> token,
                                            boolean write) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> RemoteTree.connect(
                d.endpoint(moduleAndPath), d.client(token), write, HashAlgorithm.SHA256).close());
        assertThat(t).isInstanceOf(RefusedException.class);
        return (RefusedException) t;
    }

    @Test
    void wrongOrMissingTokensUnknownModulesAndWritesToReadOnlyModulesAreRefused() throws Exception {
        try (TestDaemon d = daemon(TestDaemon.builder())) {
            RefusedException wrong = refused(d, "data", Optional.of("guess"), false);
            assertThat(wrong.reason()).contains(Handshake.Refusal.AUTH);
            assertThat(wrong).hasMessageContaining("127.0.0.1:" + d.port()).hasMessageContaining("wrong token");
            assertThat(refused(d, "data", Optional.empty(), false).reason()).contains(Handshake.Refusal.AUTH);
            RefusedException unknown = refused(d, "nope/x", Optional.of(TestDaemon.TOKEN), false);
            assertThat(unknown.reason()).contains(Handshake.Refusal.UNKNOWN_MODULE);
            assertThat(unknown).hasMessageContaining("nope");
            RefusedException readOnly = refused(d, "archive", Optional.of(TestDaemon.TOKEN), true);
            assertThat(readOnly.reason()).contains(Handshake.Refusal.READ_ONLY);
            try (RemoteTree pull = RemoteTree.connect(d.endpoint("archive"), d.client(), false,
                    HashAlgorithm.SHA256)) {
                assertThat(pull.stat(RelPath.ROOT, Tree.Detail.BASIC)).isPresent(); // reading it is fine
            }
        }
        assertThat(tmp.resolve("m")).isDirectoryContaining(p -> p.getFileName().toString().equals("file"));
        try (var s = Files.list(tmp.resolve("ro"))) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void aRequestOnAReadOnlyConnectionIsAnsweredWithAnError() throws Exception {
        try (TestDaemon d = daemon(TestDaemon.builder()); RawClient raw = RawClient.connect(d, "data", false)) {
            raw.send(FrameType.DELETE, 7, new dev.duplex.remote.protocol.WireOut().path(RelPath.of("file")).toBytes());
            Frame answer = raw.read();
            assertThat(answer.type()).isEqualTo(FrameType.ERROR);
            assertThat(answer.id()).isEqualTo(7);
        }
        assertThat(tmp.resolve("m/file")).exists();
    }

    @Test
    void aClientWithNoVersionInCommonIsToldWhichTheDaemonSpeaks() throws Exception {
        try (TestDaemon d = daemon(TestDaemon.builder()); RawClient raw = RawClient.open(d)) {
            raw.send(FrameType.HELLO, 0, RawClient.hello(List.of(99, 100), TestDaemon.TOKEN, "data", "", false));
            Frame answer = raw.read();
            assertThat(answer.type()).isEqualTo(FrameType.REFUSED);
            WireIn in = answer.in();
            assertThat(Handshake.Refusal.of(in.u16())).isEqualTo(Handshake.Refusal.VERSION);
            assertThat(in.string()).contains("[1]").contains("[99, 100]");
        }
    }

    @Test
    void maxConnectionsCountsClientsNotTheirConnections() throws Exception {
        try (TestDaemon d = daemon(TestDaemon.builder().maxConnections(1));
             RemoteTree first = d.connect("data", false)) {
            // the one client admitted opens more connections: a walk, a read, each on its own
            assertThat(first.stat(RelPath.of("file"), Tree.Detail.BASIC)).isPresent();
            first.walk(dev.duplex.tree.WalkRules.ALL, Tree.Detail.BASIC, ConfinementTest.sink(new java.util.ArrayList<>()));
            try (var in = first.openRead(RelPath.of("file"), Tree.Detail.BASIC)) {
                assertThat(in.read(ByteBuffer.allocate(100))).isEqualTo(7);
            }
            RefusedException busy = refused(d, "data", Optional.of(TestDaemon.TOKEN), false);
            assertThat(busy.reason()).contains(Handshake.Refusal.BUSY);
            assertThat(busy).hasMessageContaining("at most 1 clients");
            assertThat(first.stat(RelPath.of("file"), Tree.Detail.BASIC)).isPresent();
        }
    }

    @Test
    void plainAndTlsMixedUpAreToldApart() throws Exception {
        try (TestDaemon d = daemon(TestDaemon.builder().tls(tmp.resolve("tls")))) {
            ClientOptions plain = withTls(d.client(), Optional.empty(), false);
            assertThatThrownBy(() -> RemoteTree.connect(Endpoint.parse("duplex://127.0.0.1:" + d.port() + "/data"),
                    plain, false, HashAlgorithm.SHA256)).isInstanceOf(RefusedException.class)
                    .hasMessageContaining("speaks TLS").hasMessageContaining("duplexs://127.0.0.1:" + d.port());
        }
        try (TestDaemon d = daemon(TestDaemon.builder())) {
            ClientOptions tls = withTls(d.client(), Optional.of(Tls.pinning("ab".repeat(32))), false);
            assertThatThrownBy(() -> RemoteTree.connect(Endpoint.parse("duplexs://127.0.0.1:" + d.port() + "/data"),
                    tls, false, HashAlgorithm.SHA256)).isInstanceOf(java.io.IOException.class)
                    .hasMessageContaining("duplex://");
        }
    }

    @Test
    void malformedAndOversizedFramesCloseThatConnectionOnly() throws Exception {
        try (TestDaemon d = daemon(TestDaemon.builder()); RawClient good = RawClient.connect(d, "data", false)) {
            List<byte[]> hostile = List.of(
                    ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).array(),          // an enormous length
                    ByteBuffer.allocate(9).putInt(-1).put((byte) 1).putInt(0).array(),  // a negative one
                    ByteBuffer.allocate(9).putInt(5).put((byte) 0x7f).putInt(1).array(), // an unknown type
                    ByteBuffer.allocate(9).putInt(2).put((byte) 1).putInt(1).array(),    // shorter than its header
                    "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());                     // not duplex at all
            for (byte[] bytes : hostile) {
                try (RawClient bad = RawClient.open(d)) {
                    bad.sendBytes(bytes);
                    assertThat(bad.closedWithoutAnswer()).isTrue();
                }
            }
            try (RawClient bad = RawClient.connect(d, "data", false)) { // after the handshake too
                bad.sendBytes(ByteBuffer.allocate(9).putInt(64 << 20).put((byte) 0x11).putInt(1).array());
                assertThat(bad.closedWithoutAnswer()).isTrue();
            }
            try (RawClient bad = RawClient.connect(d, "data", false)) { // a field longer than its frame
                bad.send(FrameType.STAT, 2, ByteBuffer.allocate(5).putInt(1000).put((byte) 'x').array());
                assertThat(bad.closedWithoutAnswer()).isTrue();
            }
            good.send(FrameType.STAT, 9, RawClient.pathBody("file", 1));
            assertThat(good.read().type()).isEqualTo(FrameType.STAT_RESULT);
        }
    }

    @Test
    void aSilentClientIsDisconnected() throws Exception {
        try (TestDaemon d = daemon(TestDaemon.builder().timeouts(Duration.ofMillis(300), Duration.ofMillis(300)))) {
            try (RawClient silent = RawClient.open(d)) {
                assertThat(silent.closedWithoutAnswer()).isTrue(); // no HELLO: closed after the handshake timeout
            }
            try (RawClient idle = RawClient.connect(d, "data", false)) {
                assertThat(idle.closedWithoutAnswer()).isTrue(); // no request: closed after the idle timeout
            }
        }
    }

    @Test
    void tlsIsTrustedByPinOrByTheCertificateAndRefusedOtherwise() throws Exception {
        try (TestDaemon d = daemon(TestDaemon.builder().tls(tmp.resolve("tls")))) {
            try (RemoteTree pinned = d.connect("data", false)) {
                assertThat(pinned.stat(RelPath.of("file"), Tree.Detail.BASIC)).isPresent();
            }
            ClientOptions byCa = withTls(d.client(), Optional.of(Tls.trustingCa(tmp.resolve("tls/duplex-cert.pem"))),
                    true);
            try (RemoteTree ca = RemoteTree.connect(Endpoint.parse("duplexs://localhost:" + d.port() + "/data"),
                    byCa, false, HashAlgorithm.SHA256)) {
                assertThat(ca.stat(RelPath.of("file"), Tree.Detail.BASIC)).isPresent();
            }
            ClientOptions wrongPin = withTls(d.client(), Optional.of(Tls.pinning("ab".repeat(32))), false);
            assertThatThrownBy(() -> RemoteTree.connect(d.endpoint("data"), wrongPin, false, HashAlgorithm.SHA256))
                    .isInstanceOf(RefusedException.class).hasMessageContaining("not trusted");
            ClientOptions none = withTls(d.client(), Optional.empty(), false);
            assertThatThrownBy(() -> RemoteTree.connect(d.endpoint("data"), none, false, HashAlgorithm.SHA256))
                    .isInstanceOf(RefusedException.class).hasMessageContaining("--tls-ca");
            // the CA's name check: the certificate names localhost and 127.0.0.1, not 127.0.0.2
            assertThatThrownBy(() -> RemoteTree.connect(Endpoint.parse("duplexs://127.0.0.2:" + d.port()
                    + "/data"), byCa, false, HashAlgorithm.SHA256)).isInstanceOf(java.io.IOException.class);
            // a plain client speaking to the TLS port gets nowhere
            assertThatThrownBy(() -> RemoteTree.connect(Endpoint.parse("duplex://127.0.0.1:" + d.port() + "/data"),
                    withTls(d.client(), Optional.empty(), false), false, HashAlgorithm.SHA256))
                    .isInstanceOf(java.io.IOException.class);
        }
    }

    @Test
    void connectionsThatNeverShakeHandsAreBoundedPerAddressAndCostTheOthersNothingOnceGone() throws Exception {
        // found by review: idle connections could take every slot (or the heap: 512 KiB of buffers each)
        try (TestDaemon d = daemon(TestDaemon.builder().maxConnections(1))) {
            java.util.List<RawClient> idle = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 16; i++) {
                    idle.add(RawClient.open(d));
                }
                try (RawClient over = RawClient.open(d)) {
                    assertThat(over.closedWithoutAnswer()).isTrue(); // the 17th from this address: closed at once
                }
            } finally {
                for (RawClient c : idle) {
                    c.close();
                }
            }
            d.awaitNoHandshakes(); // the daemon has seen them close
            try (RemoteTree t = d.connect("data", false)) {
                assertThat(t.stat(RelPath.of("file"), Tree.Detail.BASIC)).isPresent();
            }
        }
    }

    @Test
    void aModuleWhoseDirectoryIsGoneIsRefusedNotCreatedAgain() throws Exception {
        try (TestDaemon d = daemon(TestDaemon.builder())) {
            Files.move(tmp.resolve("m"), tmp.resolve("m.moved"));
            RefusedException gone = refused(d, "data/sub", Optional.of(TestDaemon.TOKEN), true);
            assertThat(gone.reason()).contains(Handshake.Refusal.UNKNOWN_MODULE);
            assertThat(gone).hasMessageContaining("missing").hasMessageNotContaining(tmp.toString());
        }
        assertThat(tmp.resolve("m")).doesNotExist();
    }

    @Test
    void theFileSystemAnswerDoesNotTellWhereTheModuleLives() throws Exception {
        try (TestDaemon d = daemon(TestDaemon.builder()); RemoteTree t = d.connect("data", false)) {
            dev.duplex.tree.RootFileSystem fs = t.fileSystem();
            assertThat(fs.toString()).doesNotContain(tmp.toString()).contains("<data>");
            assertThat(t.fileSystem()).isEqualTo(fs); // stable from run to run, for the mount guard
        }
    }

    private static ClientOptions withTls(ClientOptions o, Optional<javax.net.ssl.SSLContext> tls, boolean names) {
        return new ClientOptions(o.token(), tls, names, 0, o.retryWait(), o.connectTimeout(), o.receiveBufferBytes(),
                o.smallFileBytes(), o.software(), o.clientId());
    }
}
