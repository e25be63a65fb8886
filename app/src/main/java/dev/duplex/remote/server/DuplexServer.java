package dev.duplex.remote.server;

import dev.duplex.tree.RelPath;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code duplex serve}: accepts connections (plain or TLS) on one address and runs a {@link Session} for each, at
 * most {@code --max-connections} at once. {@link #stop()} closes the listening socket and every connection, and
 * removes the temp files clients left in the modules (received but not committed).
 */
public final class DuplexServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DuplexServer.class);

    private final ServerOptions options;
    private final ServerSocket listener;
    private final ExecutorService sessions;
    private final Semaphore slots;
    private final Clients clients;
    private final Handshakes handshakes = new Handshakes();
    private final AtomicInteger refusedLogged = new AtomicInteger();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private final java.util.concurrent.atomic.AtomicLong bugs = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.ScheduledExecutorService sweeper;

    private DuplexServer(ServerOptions options, ServerSocket listener) {
        this.options = options;
        this.listener = listener;
        this.clients = new Clients(options.maxConnections());
        this.slots = new Semaphore(openLimit(options.maxConnections()));
        AtomicInteger n = new AtomicInteger();
        this.sessions = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "duplex-session-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.acceptor = new Thread(this::accept, "duplex-accept");
        this.acceptor.setDaemon(true);
        this.sweeper = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "duplex-sweep");
            t.setDaemon(true);
            return t;
        });
        this.sweeper.scheduleWithFixedDelay(() -> options.modules().values().forEach(
                m -> m.expireTransfers(java.time.Instant.now(), false)), 30, 30, TimeUnit.SECONDS);
    }

    /** Binds the address and starts accepting. */
    public static DuplexServer start(ServerOptions options) throws IOException {
        ServerSocket listener = options.tls().isPresent()
                ? options.tls().get().getServerSocketFactory().createServerSocket()
                : new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(options.listen(), 128);
        DuplexServer server = new DuplexServer(options, listener);
        server.acceptor.start();
        return server;
    }

    /** The port it listens on (the one asked for, or the one the system chose for port 0). */
    public int port() {
        return listener.getLocalPort();
    }

    /** Connections open at once, handshaken or not: a bound on the threads and sockets of the daemon. */
    static int openLimit(int maxClients) {
        return (int) Math.min(100_000, (long) maxClients * 64 + 16);
    }

    /** Connections accepted that have not finished their handshake yet. */
    public int handshaking() {
        return handshakes.waiting();
    }

    /** Sessions that ended on an unexpected exception (a bug: every input is meant to be answered or refused). */
    public long sessionsFailed() {
        return bugs.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (SocketException closed) {
                return; // stop() closed the listener
            } catch (IOException e) {
                LOG.warn("cannot accept a connection: {}", e.getMessage());
                continue;
            }
            try {
                start(socket);
            } catch (RuntimeException | Error e) {
                // out of threads or memory: this connection is dropped; the daemon goes on accepting
                closeQuietly(socket);
                LOG.error("cannot serve a connection from {}: {}", socket.getRemoteSocketAddress(), e.toString());
            }
        }
    }

    private void start(Socket socket) {
        java.net.InetAddress from = socket.getInetAddress();
        if (!handshakes.tryEnter(from)) {
            closeQuietly(socket); // too many connections not yet past the handshake (from there): no answer
            if (refusedLogged.getAndIncrement() % 1000 == 0) {
                LOG.warn("{}: closed: too many connections waiting to shake hands ({} so far)",
                        socket.getRemoteSocketAddress(), refusedLogged.get());
            }
            return;
        }
        if (!slots.tryAcquire()) {
            handshakes.leave(from);
            sessions.execute(() -> Session.refuseBusy(socket, openLimit(options.maxConnections())));
            return;
        }
        open.add(socket);
        try {
            sessions.execute(() -> {
                try {
                    new Session(socket, options, clients, bugs::incrementAndGet, () -> handshakes.leave(from))
                            .run();
                } finally {
                    open.remove(socket);
                    slots.release();
                }
            });
        } catch (RuntimeException | Error e) {
            open.remove(socket);
            slots.release();
            handshakes.leave(from);
            throw e;
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /**
     * Stops: no new connection, every open one closed (its session gives up the temp files it was receiving),
     * then the temps clients wrote but did not commit removed from every module.
     */
    public void stop() {
        try {
            listener.close();
        } catch (IOException e) {
            LOG.debug("closing the listener: {}", e.getMessage());
        }
        open.forEach(s -> {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        });
        sweeper.shutdownNow();
        sessions.shutdownNow();
        try {
            if (!sessions.awaitTermination(20, TimeUnit.SECONDS)) {
                LOG.warn("sessions did not end within 20 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Module m : options.modules().values()) {
            m.expireTransfers(java.time.Instant.now(), true);
            for (RelPath p : m.temps().pending()) {
                m.tree().abandon(p);
                m.temps().remove(p);
            }
        }
    }

    @Override
    public void close() {
        stop();
    }
}
