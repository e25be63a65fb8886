package dev.duplex.remote;

import dev.duplex.remote.protocol.ErrorCode;
import dev.duplex.remote.protocol.Frame;
import dev.duplex.remote.protocol.FrameIO;
import dev.duplex.remote.protocol.FrameType;
import dev.duplex.remote.protocol.Handshake;
import dev.duplex.remote.protocol.WireIn;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One connection to a daemon: the handshake, then requests sent as frames (pipelined: no request waits for the
 * answer to the one before) and answers dispatched by request id from a reader thread of its own. A connection
 * that fails fails every request still waiting on it.
 */
final class Connection implements AutoCloseable {
    /** The handlers of requests waiting for answers: a single answer, or a stream of frames. */
    private interface Waiting extends Consumer<Frame> {
        /** The connection failed: the request fails too. */
        void failed(IOException cause);

        /** Whether {@code f} is the last frame this request gets. */
        boolean isLast(Frame f);
    }

    /** The first byte of a TLS record of these types: a TLS daemon answering a plain HELLO. */
    private static final int TLS_ALERT = 0x15;
    private static final int TLS_HANDSHAKE = 0x16;

    /** Frames of a stream held before its reader takes them: beyond these the daemon is held back. */
    static final int STREAM_AHEAD = 4;
    /** The same under a bandwidth limit (a small receive buffer): less sent ahead of the paced reads. */
    static final int STREAM_AHEAD_LIMITED = 1;

    private final Endpoint endpoint;
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, Waiting> waiting = new ConcurrentHashMap<>();
    private final Thread reader;
    private volatile IOException failure;
    private final boolean limited;

    private Connection(Endpoint endpoint, Socket socket, boolean limited) throws IOException {
        this.endpoint = endpoint;
        this.socket = socket;
        this.limited = limited;
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 256 * 1024));
        this.out = new BufferedOutputStream(socket.getOutputStream(), 256 * 1024);
        this.reader = new Thread(this::readAnswers, "duplex-net-" + endpoint.server());
        this.reader.setDaemon(true);
    }

    /**
     * Connects, and shakes hands for {@code write} (push) or reading.
     *
     * @throws RefusedException when the daemon refuses (token, module, read-only, busy, version)
     * @throws IOException when it cannot be reached or TLS fails
     */
    static Connection open(Endpoint endpoint, ClientOptions options, boolean write) throws IOException {
        Socket socket = endpoint.tls() ? tlsSocket(endpoint, options) : new Socket();
        try {
            socket.setTcpNoDelay(true);
            if (options.receiveBufferBytes() > 0) {
                socket.setReceiveBufferSize(options.receiveBufferBytes());
            }
            socket.connect(new InetSocketAddress(endpoint.host(), endpoint.port()),
                    (int) options.connectTimeout().toMillis());
            socket.setSoTimeout((int) options.connectTimeout().toMillis());
            if (socket instanceof SSLSocket ssl) {
                ssl.startHandshake();
            }
            Connection c = new Connection(endpoint, socket, options.receiveBufferBytes() > 0);
            c.handshake(options, write);
            socket.setSoTimeout(0);
            c.reader.start();
            return c;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static Socket tlsSocket(Endpoint endpoint, ClientOptions options) throws IOException {
        if (options.tls().isEmpty()) {
            throw new RefusedException(endpoint, "a duplexs:// endpoint needs --tls-ca PEM or --tls-pin SHA256");
        }
        SSLSocket s = (SSLSocket) options.tls().get().getSocketFactory().createSocket();
        SSLParameters p = s.getSSLParameters();
        p.setProtocols(Tls.protocols());
        if (options.verifyHostName()) {
            p.setEndpointIdentificationAlgorithm("HTTPS");
        }
        if (!endpoint.host().matches("[0-9.]+|.*:.*")) {
            p.setServerNames(java.util.List.of(new SNIHostName(endpoint.host())));
        }
        s.setSSLParameters(p);
        return s;
    }

    private void handshake(ClientOptions options, boolean write) throws IOException {
        byte[] hello = new Handshake.Hello(Handshake.VERSIONS, options.software(), options.clientId(),
                options.token().orElse(""), endpoint.module(), endpoint.path().toString(), write).encode();
        FrameIO.write(out, FrameType.HELLO, 0, hello);
        out.flush();
        in.mark(1);
        int first = in.read();
        in.reset();
        if (first == TLS_ALERT || first == TLS_HANDSHAKE) {
            throw new RefusedException(endpoint, "the daemon speaks TLS: use duplexs://" + endpoint.toString()
                    .substring("duplex://".length()) + " (with --tls-pin or --tls-ca)");
        }
        Frame answer = FrameIO.read(in, FrameIO.HANDSHAKE_LIMIT);
        if (answer.type() == FrameType.REFUSED) {
            WireIn r = answer.in();
            Handshake.Refusal why = Handshake.Refusal.of(r.u16());
            throw new RefusedException(endpoint, why, r.string());
        }
        if (answer.type() != FrameType.WELCOME) {
            throw new IOException(endpoint.server() + " answered " + answer.type() + " to the handshake");
        }
        Handshake.Welcome.decode(answer);
    }

    Endpoint endpoint() {
        return endpoint;
    }

    int nextId() {
        return ids.incrementAndGet();
    }

    /** Sends a frame; it leaves with the next flush (or when the buffer fills). */
    void send(FrameType type, int id, byte[] body) throws IOException {
        IOException f = failure;
        if (f != null) {
            throw f;
        }
        try {
            synchronized (out) {
                FrameIO.write(out, type, id, body);
            }
        } catch (IOException e) {
            throw lost(e);
        }
    }

    void flush() throws IOException {
        try {
            synchronized (out) {
                out.flush();
            }
        } catch (IOException e) {
            throw lost(e);
        }
    }

    private IOException lost(IOException e) {
        close();
        return e instanceof ConnectionLostException ? e : new ConnectionLostException("the connection to "
                + endpoint.server() + " failed: " + e.getMessage(), e);
    }

    /** Expects one answer to request {@code id}. Register before sending: the answer may come at once. */
    CompletableFuture<Frame> expect(int id) {
        return expect(id, java.util.Set.of(), f -> { });
    }

    /**
     * Expects one answer to request {@code id}, after any number of frames of the {@code progress} types, which go
     * to {@code onProgress} on the connection's reader thread as they come.
     */
    CompletableFuture<Frame> expect(int id, java.util.Set<FrameType> progress, Consumer<Frame> onProgress) {
        CompletableFuture<Frame> answer = new CompletableFuture<>();
        register(id, new Waiting() {
            @Override
            public void accept(Frame f) {
                if (progress.contains(f.type())) {
                    onProgress.accept(f);
                } else {
                    answer.complete(f);
                }
            }

            @Override
            public void failed(IOException cause) {
                answer.completeExceptionally(cause);
            }

            @Override
            public boolean isLast(Frame f) {
                return !progress.contains(f.type());
            }
        });
        return answer;
    }

    /**
     * Expects a stream of frames for request {@code id}, which ends with a frame of type {@code last} or an
     * {@code ERROR}. The queue ends with {@link #LOST} when the connection fails.
     */
    BlockingQueue<Frame> stream(int id, FrameType last) {
        BlockingQueue<Frame> frames = new LinkedBlockingQueue<>(limited ? STREAM_AHEAD_LIMITED : STREAM_AHEAD);
        register(id, new Waiting() {
            @Override
            public void accept(Frame f) {
                try {
                    // a full queue stops this reader, and so the daemon (TCP's window): a stream's reader sets its pace
                    while (!frames.offer(f, 100, TimeUnit.MILLISECONDS)) {
                        if (socket.isClosed()) {
                            return;
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void failed(IOException cause) {
                frames.clear(); // nobody will read on: the stream ends here
                frames.offer(LOST);
            }

            @Override
            public boolean isLast(Frame f) {
                return f.type() == last || f.type() == FrameType.ERROR;
            }
        });
        return frames;
    }

    /** The frame a stream gets when its connection fails; {@link #failure()} says why. */
    static final Frame LOST = new Frame(FrameType.ERROR, -1, new byte[0]);

    IOException failure() {
        IOException f = failure;
        return f != null ? f : new ConnectionLostException("the connection to " + endpoint.server() + " was closed",
                null);
    }

    /** Forgets a request whose answers are no longer wanted (they are dropped as they come). */
    void forget(int id) {
        waiting.remove(id);
    }

    private void register(int id, Waiting w) {
        waiting.put(id, w);
        IOException f = failure;
        if (f != null && waiting.remove(id) != null) {
            w.failed(f);
        }
    }

    private void readAnswers() {
        try {
            while (true) {
                Frame f = FrameIO.read(in, FrameIO.FRAME_LIMIT);
                Waiting w = waiting.get(f.id());
                if (w == null) {
                    continue; // an answer to a request given up
                }
                if (w.isLast(f)) {
                    waiting.remove(f.id());
                }
                w.accept(f);
            }
        } catch (IOException e) {
            failure = new ConnectionLostException("the connection to " + endpoint.server() + " failed: "
                    + e.getMessage(), e);
        } finally {
            if (failure == null) {
                failure = new ConnectionLostException("the connection to " + endpoint.server() + " was closed", null);
            }
            for (Integer id : waiting.keySet()) {
                Waiting w = waiting.remove(id);
                if (w != null) {
                    w.failed(failure);
                }
            }
        }
    }

    boolean isOpen() {
        return failure == null && !socket.isClosed();
    }

    /** The answer to a request, or the error it carries as the exception a local tree would throw. */
    static Frame answer(Frame f, String name) throws IOException {
        if (f.type() == FrameType.ERROR) {
            WireIn in = f.in();
            ErrorCode code = ErrorCode.of(in.u16());
            throw code.toException(name, in.string());
        }
        return f;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
