package dev.duplex.remote;

import dev.duplex.remote.protocol.Frame;
import dev.duplex.remote.protocol.FrameIO;
import dev.duplex.remote.protocol.FrameType;
import dev.duplex.remote.protocol.Handshake;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A client that writes whatever frames (or bytes) a test gives it, to see what the daemon does with them. */
final class RawClient implements AutoCloseable {
    private static final java.util.concurrent.atomic.AtomicLong RAW_IDS = new java.util.concurrent.atomic.AtomicLong(
            1L << 40);
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects without shaking hands. */
    static RawClient open(TestDaemon daemon) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", daemon.port()), 10_000);
        s.setSoTimeout(20_000);
        return new RawClient(s);
    }

    /** Connects and shakes hands with the daemon's token; fails unless welcomed. */
    static RawClient connect(TestDaemon daemon, String module, boolean write) throws IOException {
        RawClient c = open(daemon);
        c.send(FrameType.HELLO, 0, hello(List.of(1), TestDaemon.TOKEN, module, "", write));
        Frame answer = c.read();
        if (answer.type() != FrameType.WELCOME) {
            c.close();
            throw new IOException("not welcomed: " + answer.type());
        }
        return c;
    }

    static byte[] hello(List<Integer> versions, String token, String module, String path, boolean write) {
        return new Handshake.Hello(versions, "raw-test", RAW_IDS.incrementAndGet(), token, module, path, write)
                .encode();
    }

    /** A body of one string field (u32 length, UTF-8 bytes) followed by one u8: a STAT request's shape. */
    static byte[] pathBody(String path, int detail) {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + p.length + 1).putInt(p.length).put(p).put((byte) detail).array();
    }

    void send(FrameType type, int id, byte[] body) throws IOException {
        FrameIO.write(out, type, id, body);
        out.flush();
    }

    void sendBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    Frame read() throws IOException {
        return FrameIO.read(in, FrameIO.FRAME_LIMIT);
    }

    /** Whether the daemon closes the connection (within the socket timeout) without sending another frame. */
    boolean closedWithoutAnswer() throws IOException {
        try {
            read();
            return false;
        } catch (EOFException | SocketException closed) {
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
