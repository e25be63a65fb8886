package dev.duplex.remote.protocol;

/**
 * One frame: its type, the request it belongs to ({@code id}, chosen by the client; 0 in the handshake), and its
 * body. On the wire: {@code u32 length} (of what follows), {@code u8 type}, {@code u32 id}, the body.
 */
public record Frame(FrameType type, int id, byte[] body) {
    /** A reader over the body. */
    public WireIn in() {
        return new WireIn(body);
    }

    @Override
    public String toString() {
        return type + "#" + id + " (" + body.length + " bytes)";
    }
}
