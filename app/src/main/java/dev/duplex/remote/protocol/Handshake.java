package dev.duplex.remote.protocol;

import java.util.List;

/**
 * The first frames of a connection. The client's {@code HELLO} lists the protocol versions it speaks and names the
 * module (and the path inside it) it wants, its token, whether it will write, and the id that all the connections
 * of one client process share (the daemon's --max-connections counts clients, not connections); the server answers
 * {@code WELCOME} with the version it chose, or {@code REFUSED} with a code and a message, and closes.
 */
public final class Handshake {
    /** The first field of every HELLO. */
    public static final String MAGIC = "duplex";
    /** The versions this build speaks, newest first. */
    public static final List<Integer> VERSIONS = List.of(1);
    public static final int DEFAULT_PORT = 9031;

    /** Why a connection was refused. */
    public enum Refusal {
        VERSION(1), AUTH(2), UNKNOWN_MODULE(3), READ_ONLY(4), BUSY(5), BAD_REQUEST(6);

        private final int code;

        Refusal(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        public static Refusal of(int code) {
            for (Refusal r : values()) {
                if (r.code == code) {
                    return r;
                }
            }
            return BAD_REQUEST;
        }
    }

    /** What the client asks for. */
    public record Hello(List<Integer> versions, String client, long clientId, String token, String module,
                        String path, boolean write) {
        public byte[] encode() {
            WireOut out = new WireOut().string(MAGIC).u16(versions.size());
            versions.forEach(out::u16);
            return out.string(client).i64(clientId).string(token).string(module).string(path).bool(write).toBytes();
        }

        public static Hello decode(Frame f) throws ProtocolException {
            WireIn in = f.in();
            if (!MAGIC.equals(in.string())) {
                throw new ProtocolException("not a duplex client");
            }
            int n = in.u16();
            if (n == 0 || n > 64) {
                throw new ProtocolException("a HELLO with " + n + " versions");
            }
            List<Integer> versions = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                versions.add(in.u16());
            }
            Hello h = new Hello(versions, in.string(), in.i64(), in.string(), in.string(), in.string(), in.bool());
            in.end();
            return h;
        }
    }

    /** What the server agrees to. */
    public record Welcome(int version, int frameLimit, String server, boolean readOnly) {
        public byte[] encode() {
            return new WireOut().u16(version).i32(frameLimit).string(server).bool(readOnly).toBytes();
        }

        public static Welcome decode(Frame f) throws ProtocolException {
            WireIn in = f.in();
            Welcome w = new Welcome(in.u16(), in.i32(), in.string(), in.bool());
            in.end();
            return w;
        }
    }

    private Handshake() {}

    /** The newest version both sides speak, or -1. */
    public static int choose(List<Integer> offered) {
        for (int v : VERSIONS) {
            if (offered.contains(v)) {
                return v;
            }
        }
        return -1;
    }
}
