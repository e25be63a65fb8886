package dev.duplex.remote.protocol;

import dev.duplex.tree.Entry;
import dev.duplex.tree.FileMetadata;
import dev.duplex.tree.RelPath;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/** Writes a frame's body field by field (big-endian; docs/PROTOCOL.md "Fields"). Not thread-safe. */
public final class WireOut {
    private final ByteArrayOutputStream out;

    public WireOut() {
        this(64);
    }

    public WireOut(int expectedBytes) {
        this.out = new ByteArrayOutputStream(expectedBytes);
    }

    public WireOut u8(int v) {
        out.write(v);
        return this;
    }

    public WireOut bool(boolean v) {
        return u8(v ? 1 : 0);
    }

    public WireOut u16(int v) {
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    public WireOut i32(int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    public WireOut i64(long v) {
        i32((int) (v >>> 32));
        return i32((int) v);
    }

    public WireOut string(String s) {
        return bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    public WireOut bytes(byte[] b) {
        i32(b.length);
        out.write(b, 0, b.length);
        return this;
    }

    /** The remaining bytes of {@code b} (its position is not moved). */
    public WireOut bytes(ByteBuffer b) {
        ByteBuffer view = b.duplicate();
        i32(view.remaining());
        if (view.hasArray()) {
            out.write(view.array(), view.arrayOffset() + view.position(), view.remaining());
        } else {
            byte[] copy = new byte[view.remaining()];
            view.get(copy);
            out.write(copy, 0, copy.length);
        }
        return this;
    }

    public WireOut optionalString(Optional<String> s) {
        bool(s.isPresent());
        s.ifPresent(this::string);
        return this;
    }

    public WireOut instant(Instant t) {
        i64(t.getEpochSecond());
        return i32(t.getNano());
    }

    public WireOut optionalInstant(Optional<Instant> t) {
        bool(t.isPresent());
        t.ifPresent(this::instant);
        return this;
    }

    public WireOut path(RelPath p) {
        return string(p.toString());
    }

    public WireOut metadata(FileMetadata m) {
        i64(m.sizeBytes());
        instant(m.modified());
        instant(m.accessed());
        optionalInstant(m.created());
        optionalInstant(m.changed());
        return string(m.permissions());
    }

    public WireOut entry(Entry e) {
        path(e.path());
        u8(e.kind().ordinal());
        metadata(e.metadata());
        optionalString(e.linkTarget());
        bool(e.excluded());
        return bool(e.marked());
    }

    /**
     * The body of a data frame, {@code u32 length | bytes}, made in one copy of {@code data}'s remaining bytes
     * (its position is not moved).
     */
    public static byte[] dataBody(ByteBuffer data) {
        ByteBuffer view = data.duplicate();
        int n = view.remaining();
        byte[] body = new byte[n + 4];
        body[0] = (byte) (n >>> 24);
        body[1] = (byte) (n >>> 16);
        body[2] = (byte) (n >>> 8);
        body[3] = (byte) n;
        view.get(body, 4, n);
        return body;
    }

    public byte[] toBytes() {
        return out.toByteArray();
    }
}
