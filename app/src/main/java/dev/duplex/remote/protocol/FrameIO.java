package dev.duplex.remote.protocol;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Reads and writes frames: {@code u32 length | u8 type | u32 id | body}, where length counts type, id and body.
 * A frame longer than the agreed limit, shorter than its header or of an unknown type is a
 * {@link ProtocolException}; the connection is then closed.
 */
public final class FrameIO {
    /** The largest frame either side accepts before the handshake has agreed on one. */
    public static final int HANDSHAKE_LIMIT = 64 * 1024;
    /** The largest frame of protocol version 1: a 1 MiB data chunk or a batch of small files, and their fields. */
    public static final int FRAME_LIMIT = 4 * 1024 * 1024 + 64 * 1024;
    /** Data travels in chunks of at most this many bytes. */
    public static final int DATA_CHUNK = 1024 * 1024;

    private static final int HEADER = 5;

    private FrameIO() {}

    /**
     * Reads the next frame.
     *
     * @throws EOFException when the stream ends cleanly between frames
     * @throws ProtocolException when the frame is malformed or over {@code limit}
     */
    public static Frame read(DataInputStream in, int limit) throws IOException {
        int first = in.read();
        if (first < 0) {
            throw new EOFException("the connection was closed");
        }
        int length = (first << 24) | (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8)
                | in.readUnsignedByte();
        if (length < HEADER || length > limit) {
            throw new ProtocolException("a frame of " + Integer.toUnsignedString(length) + " bytes (the limit is "
                    + limit + ")");
        }
        int code = in.readUnsignedByte();
        FrameType type = FrameType.of(code).orElseThrow(() -> new ProtocolException("unknown frame type 0x"
                + Integer.toHexString(code)));
        int id = in.readInt();
        byte[] body = new byte[length - HEADER];
        in.readFully(body);
        return new Frame(type, id, body);
    }

    /** Writes a frame (not flushed). */
    public static void write(OutputStream out, FrameType type, int id, byte[] body) throws IOException {
        int length = HEADER + body.length;
        byte[] header = {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length,
                (byte) type.code(), (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id};
        out.write(header);
        out.write(body);
    }

    /** Reads a whole frame, for tests and tools: the same as {@link #read(DataInputStream, int)}. */
    public static Frame read(InputStream in, int limit) throws IOException {
        return read(in instanceof DataInputStream d ? d : new DataInputStream(in), limit);
    }
}
