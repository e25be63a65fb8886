package dev.duplex.remote.protocol;

import dev.duplex.tree.Entry;
import dev.duplex.tree.EntryKind;
import dev.duplex.tree.FileMetadata;
import dev.duplex.tree.RelPath;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * Reads a frame's body field by field. Every read is checked against what the body holds, and text must be valid
 * UTF-8: a malformed body is a {@link ProtocolException}, never an out-of-bounds read.
 */
public final class WireIn {
    private final ByteBuffer in;

    public WireIn(byte[] body) {
        this.in = ByteBuffer.wrap(body);
    }

    private void need(int n) throws ProtocolException {
        if (n < 0 || in.remaining() < n) {
            throw new ProtocolException("a frame body is shorter than its fields say");
        }
    }

    public int u8() throws ProtocolException {
        need(1);
        return in.get() & 0xff;
    }

    public boolean bool() throws ProtocolException {
        int v = u8();
        if (v > 1) {
            throw new ProtocolException("a boolean field holds " + v);
        }
        return v == 1;
    }

    public int u16() throws ProtocolException {
        need(2);
        return in.getShort() & 0xffff;
    }

    public int i32() throws ProtocolException {
        need(4);
        return in.getInt();
    }

    public long i64() throws ProtocolException {
        need(8);
        return in.getLong();
    }

    public byte[] bytes() throws ProtocolException {
        int n = i32();
        need(n);
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }

    public String string() throws ProtocolException {
        int n = i32();
        need(n);
        ByteBuffer slice = in.slice();
        slice.limit(n);
        in.position(in.position() + n);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(slice).toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException("a text field is not UTF-8");
        }
    }

    public Optional<String> optionalString() throws ProtocolException {
        return bool() ? Optional.of(string()) : Optional.empty();
    }

    public Instant instant() throws ProtocolException {
        long seconds = i64();
        int nanos = i32();
        if (nanos < 0 || nanos > 999_999_999) {
            throw new ProtocolException("a time field has " + nanos + " nanoseconds");
        }
        try {
            return Instant.ofEpochSecond(seconds, nanos);
        } catch (java.time.DateTimeException e) {
            throw new ProtocolException("a time field is out of range");
        }
    }

    public Optional<Instant> optionalInstant() throws ProtocolException {
        return bool() ? Optional.of(instant()) : Optional.empty();
    }

    /** A relative path; one that could leave a tree ({@code ..}, absolute, NUL) is refused. */
    public RelPath path() throws ProtocolException {
        String p = string();
        try {
            return RelPath.of(p);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("not a path inside the module: " + e.getMessage());
        }
    }

    public FileMetadata metadata() throws ProtocolException {
        long size = i64();
        if (size < 0) {
            throw new ProtocolException("a size field is negative");
        }
        return new FileMetadata(size, instant(), instant(), optionalInstant(), optionalInstant(), string());
    }

    public Entry entry() throws ProtocolException {
        RelPath path = path();
        int kind = u8();
        if (kind >= EntryKind.values().length) {
            throw new ProtocolException("an entry kind field holds " + kind);
        }
        return new Entry(path, EntryKind.values()[kind], metadata(), optionalString(), bool(), bool());
    }

    /** Fails unless every byte of the body was read (a frame with extra bytes is malformed). */
    public void end() throws ProtocolException {
        if (in.hasRemaining()) {
            throw new ProtocolException("a frame body has " + in.remaining() + " bytes more than its fields");
        }
    }
}
