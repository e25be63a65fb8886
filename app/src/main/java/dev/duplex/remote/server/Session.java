package dev.duplex.remote.server;

import dev.duplex.remote.protocol.Frame;
import dev.duplex.remote.protocol.FrameIO;
import dev.duplex.remote.protocol.FrameType;
import dev.duplex.remote.protocol.Handshake;
import dev.duplex.remote.protocol.ProtocolException;
import dev.duplex.remote.protocol.WireOut;
import dev.duplex.tree.RelPath;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: the handshake (protocol version, token, module, read or write), then its requests, one
 * after the other, answered in order. A malformed frame, an oversized length or a silent client ends this
 * connection only; a request that fails on the file system is answered with an error and the session goes on.
 */
final class Session implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);

    private static final int TLS_HANDSHAKE = 0x16;

    private final Socket socket;
    private final ServerOptions options;
    private final String peer;

    private final Runnable onBug;
    private final Clients clients;
    private java.util.OptionalLong admitted = java.util.OptionalLong.empty();

    private Runnable handshakeDone;

    /** @param handshakeDone run once when the handshake has ended, however it ended */
    Session(Socket socket, ServerOptions options, Clients clients, Runnable onBug, Runnable handshakeDone) {
        this.socket = socket;
        this.options = options;
        this.clients = clients;
        this.onBug = onBug;
        this.handshakeDone = handshakeDone;
        this.peer = String.valueOf(socket.getRemoteSocketAddress());
    }

    @Override
    public void run() {
        Requests requests = null;
        try (socket) {
            socket.setSoTimeout((int) options.handshakeTimeout().toMillis());
            socket.setTcpNoDelay(true);
            // small buffers until the client has shown its token: a flood of connections costs little; a large read
            // (a data frame) bypasses the buffer anyway
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 16 * 1024));
            Optional<Accepted> accepted = handshake(in, new Replies(new BufferedOutputStream(
                    socket.getOutputStream(), 1024)));
            endHandshake();
            if (accepted.isEmpty()) {
                return;
            }
            Replies replies = new Replies(new BufferedOutputStream(socket.getOutputStream(), 64 * 1024));
            socket.setSoTimeout((int) options.idleTimeout().toMillis());
            ModuleView view = accepted.get().view();
            replies.hide(view.module().root().toString(), view.module().name());
            boolean writable = accepted.get().write();
            requests = new Requests(view, replies, writable, this::closeQuietly, Clock.systemUTC());
            LOG.info("{}: {} module {}{}", peer, writable ? "writing to" : "reading from", view.module().name(),
                    view.base().isRoot() ? "" : " path " + view.base());
            serve(in, replies, requests);
        } catch (EOFException e) {
            LOG.debug("{}: closed the connection", peer);
        } catch (SocketTimeoutException e) {
            LOG.info("{}: silent for too long; connection closed", peer);
        } catch (ProtocolException e) {
            LOG.warn("{}: broke the protocol ({}); connection closed", peer, e.getMessage());
        } catch (IOException e) {
            LOG.info("{}: connection lost: {}", peer, e.getMessage());
        } catch (InterruptedException e) {
            LOG.debug("{}: stopped", peer);
        } catch (RuntimeException e) {
            onBug.run();
            LOG.error("{}: session failed", peer, e);
        } finally {
            endHandshake();
            if (requests != null) {
                requests.close();
            }
            admitted.ifPresent(clients::release);
        }
    }

    private void endHandshake() {
        if (handshakeDone != null) {
            handshakeDone.run();
            handshakeDone = null;
        }
    }

    private void closeQuietly() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private void serve(DataInputStream in, Replies replies, Requests requests)
            throws IOException, InterruptedException {
        while (!Thread.currentThread().isInterrupted()) {
            Frame f = FrameIO.read(in, FrameIO.FRAME_LIMIT);
            try {
                if (!requests.handle(f)) {
                    throw new ProtocolException("a " + f.type() + " frame where a request was expected");
                }
            } catch (ProtocolException e) {
                throw e;
            } catch (IOException e) {
                replies.error(f.id(), e);
            }
            if (in.available() == 0) {
                replies.flush(); // answers go out together while the client has more requests queued
            }
        }
        throw new InterruptedException("the daemon is stopping");
    }

    /** What the handshake granted: the module (and the path in it) and whether the client may write. */
    private record Accepted(ModuleView view, boolean write) {}

    private Optional<Accepted> handshake(DataInputStream in, Replies replies) throws IOException {
        in.mark(1);
        if (in.read() == TLS_HANDSHAKE && options.tls().isEmpty()) {
            throw new ProtocolException("a TLS client on a plain port (it should use duplex://, or serve TLS)");
        }
        in.reset();
        Frame f = FrameIO.read(in, FrameIO.HANDSHAKE_LIMIT);
        if (f.type() != FrameType.HELLO) {
            throw new ProtocolException("the first frame is " + f.type() + ", not HELLO");
        }
        Handshake.Hello hello = Handshake.Hello.decode(f);
        int version = Handshake.choose(hello.versions());
        if (version < 0) {
            return refuse(replies, Handshake.Refusal.VERSION, "no protocol version in common (this daemon speaks "
                    + Handshake.VERSIONS + ", the client " + hello.versions() + ")");
        }
        if (options.token().isPresent() && !MessageDigest.isEqual(options.token().get(),
                hello.token().getBytes(StandardCharsets.UTF_8))) {
            return refuse(replies, Handshake.Refusal.AUTH, "wrong token");
        }
        java.util.Optional<String> busy = clients.admit(hello.clientId());
        if (busy.isPresent()) {
            return refuse(replies, Handshake.Refusal.BUSY, busy.get());
        }
        admitted = java.util.OptionalLong.of(hello.clientId());
        Module module = options.modules().get(hello.module());
        if (module == null) {
            return refuse(replies, Handshake.Refusal.UNKNOWN_MODULE, "no module named '" + hello.module() + "'");
        }
        if (!java.nio.file.Files.isDirectory(module.root())) {
            LOG.error("module {}: its directory {} is missing", module.name(), module.root());
            return refuse(replies, Handshake.Refusal.UNKNOWN_MODULE, "module " + module.name() + " is not available: "
                    + "its directory is missing on the server");
        }
        if (hello.write() && module.readOnly()) {
            return refuse(replies, Handshake.Refusal.READ_ONLY, "module " + module.name() + " is read-only");
        }
        RelPath base;
        try {
            base = RelPath.of(hello.path());
        } catch (IllegalArgumentException e) {
            return refuse(replies, Handshake.Refusal.BAD_REQUEST, "not a path inside the module: " + e.getMessage());
        }
        replies.send(FrameType.WELCOME, 0, new Handshake.Welcome(version, FrameIO.FRAME_LIMIT, options.software(),
                module.readOnly()).encode());
        replies.flush();
        return Optional.of(new Accepted(new ModuleView(module, base), hello.write()));
    }

    private Optional<Accepted> refuse(Replies replies, Handshake.Refusal why, String message) throws IOException {
        LOG.warn("{}: refused: {}", peer, message);
        replies.send(FrameType.REFUSED, 0, new WireOut().u16(why.code()).string(message).toBytes());
        replies.flush();
        return Optional.empty();
    }

    /** Refuses a connection over the daemon's limit of open connections, before reading anything from it. */
    static void refuseBusy(Socket socket, int max) {
        try (socket) {
            socket.setSoTimeout(5_000); // a TLS socket shakes hands on this write: not for longer than this
            Replies replies = new Replies(new BufferedOutputStream(socket.getOutputStream()));
            replies.send(FrameType.REFUSED, 0, new WireOut().u16(Handshake.Refusal.BUSY.code())
                    .string("the daemon has " + max + " connections open, its limit; try again later").toBytes());
            replies.flush();
        } catch (IOException e) {
            LOG.debug("cannot refuse a connection: {}", e.getMessage());
        }
        LOG.warn("{}: refused: more than {} connections open", socket.getRemoteSocketAddress(), max);
    }
}
