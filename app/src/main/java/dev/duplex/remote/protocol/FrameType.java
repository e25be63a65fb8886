package dev.duplex.remote.protocol;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The frame types of protocol version 1 (docs/PROTOCOL.md): requests from the client, answers from the server. */
public enum FrameType {
    // the handshake
    HELLO(0x01), WELCOME(0x02), REFUSED(0x03),
    // requests about metadata
    WALK(0x10), STAT(0x11), HASH(0x12), EMPTY_DIR(0x13), FILE_SYSTEM(0x14),
    // reading a file
    READ(0x20),
    // writing a file: a temp file in frames, or a small one whole; many small ones in one frame
    TEMP_OPEN(0x30), TEMP_DATA(0x31), TEMP_FINISH(0x32), TEMP_ABANDON(0x33), PUT_BATCH(0x34), TEMP_RESUME(0x35),
    // changes
    COMMIT_BATCH(0x40), ABANDON(0x41), LINK_TEMP(0x42), WRITE_SMALL(0x43), DELETE(0x44), MKDIRS(0x45),
    SET_TIMES(0x46),
    // answers
    OK(0x80), ERROR(0x81), ENTRIES(0x82), WARNING(0x83), WALK_END(0x84), STAT_RESULT(0x85), HASH_RESULT(0x86),
    BOOL(0x87), FILE_SYSTEM_RESULT(0x88), READ_META(0x90), DATA(0x91), READ_END(0x92), TEMP_ACK(0x93),
    TEMP_RESUMED(0x94), BATCH_RESULT(0xA0);

    private static final Map<Integer, FrameType> BY_CODE = new HashMap<>();

    static {
        for (FrameType t : values()) {
            BY_CODE.put(t.code, t);
        }
    }

    private final int code;

    FrameType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Optional<FrameType> of(int code) {
        return Optional.ofNullable(BY_CODE.get(code));
    }
}
