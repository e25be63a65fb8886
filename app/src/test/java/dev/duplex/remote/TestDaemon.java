package dev.duplex.remote;

import dev.duplex.digest.HashAlgorithm;
import dev.duplex.remote.server.DuplexServer;
import dev.duplex.remote.server.Module;
import dev.duplex.remote.server.ServerOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/** A daemon in this JVM on 127.0.0.1 (a free port), for the protocol's tests; stopped by {@link #close()}. */
final class TestDaemon implements AutoCloseable {
    static final String TOKEN = "s3cret-token";
    private static final java.util.concurrent.atomic.AtomicLong CLIENT_IDS = new java.util.concurrent.atomic.AtomicLong();

    private final DuplexServer server;
    private final Optional<Tls.Identity> identity;

    private TestDaemon(DuplexServer server, Optional<Tls.Identity> identity) {
        this.server = server;
        this.identity = identity;
    }

    /** A builder: modules by name, read-only ones, token or none, TLS or not, limits. */
    static final class Builder {
        private final Map<String, Module> modules = new LinkedHashMap<>();
        private final dev.duplex.tree.Confinement confinement = dev.duplex.tree.Confinement.strict();
        private Optional<byte[]> token = Optional.of(TOKEN.getBytes(StandardCharsets.UTF_8));
        private Optional<Path> tlsDir = Optional.empty();
        private int maxConnections = 16;
        private Duration handshakeTimeout = Duration.ofSeconds(30);
        private Duration idleTimeout = Duration.ofMinutes(5);

        Builder module(String name, Path root) {
            modules.put(name, new Module(name, root, false, confinement));
            return this;
        }

        Builder readOnlyModule(String name, Path root) {
            modules.put(name, new Module(name, root, true, confinement));
            return this;
        }

        Builder noAuth() {
            token = Optional.empty();
            return this;
        }

        Builder tls(Path dir) {
            tlsDir = Optional.of(dir);
            return this;
        }

        Builder maxConnections(int n) {
            maxConnections = n;
            return this;
        }

        Builder timeouts(Duration handshake, Duration idle) {
            handshakeTimeout = handshake;
            idleTimeout = idle;
            return this;
        }

        TestDaemon start() throws IOException, GeneralSecurityException {
            Optional<Tls.Identity> identity = tlsDir.isPresent()
                    ? Optional.of(Tls.selfSigned(tlsDir.get(), List.of("localhost", "127.0.0.1")))
                    : Optional.empty();
            Optional<SSLContext> tls = identity.isPresent() ? Optional.of(identity.get().serverContext())
                    : Optional.empty();
            ServerOptions options = new ServerOptions(new InetSocketAddress("127.0.0.1", 0), modules, token, tls,
                    maxConnections, handshakeTimeout, idleTimeout, "duplex-test");
            return new TestDaemon(DuplexServer.start(options), identity);
        }
    }

    static Builder builder() {
        return new Builder();
    }

    int port() {
        return server.port();
    }

    /** Waits until no accepted connection is still before its handshake (each close is seen when read). */
    void awaitNoHandshakes() {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (server.handshaking() > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(server.handshaking() + " connections still before their handshake");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }

    long sessionsFailed() {
        return server.sessionsFailed();
    }

    Optional<Tls.Identity> identity() {
        return identity;
    }

    /** {@code duplex://127.0.0.1:PORT/MODULE[/PATH]} (duplexs:// with TLS). */
    Endpoint endpoint(String moduleAndPath) {
        return Endpoint.parse((identity.isPresent() ? "duplexs" : "duplex") + "://127.0.0.1:" + port() + "/"
                + moduleAndPath);
    }

    /** Client options with the daemon's token, trusting its certificate by pin, with quick retries. */
    ClientOptions client() {
        return client(Optional.of(TOKEN));
    }

    ClientOptions client(Optional<String> token) {
        try {
            Optional<SSLContext> trust = identity.isPresent()
                    ? Optional.of(Tls.pinning(identity.get().fingerprint())) : Optional.empty();
            return new ClientOptions(token, trust, false, 3, Duration.ofMillis(20), Duration.ofSeconds(10), 0,
                    64 * 1024, "duplex-test-client", CLIENT_IDS.incrementAndGet());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    RemoteTree connect(String moduleAndPath, boolean write) throws IOException {
        return RemoteTree.connect(endpoint(moduleAndPath), client(), write, HashAlgorithm.SHA256);
    }

    @Override
    public void close() {
        server.stop();
    }
}
