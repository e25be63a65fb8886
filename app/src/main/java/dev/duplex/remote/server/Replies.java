package dev.duplex.remote.server;

import dev.duplex.remote.protocol.ErrorCode;
import dev.duplex.remote.protocol.FrameIO;
import dev.duplex.remote.protocol.FrameType;
import dev.duplex.remote.protocol.WireOut;
import java.io.IOException;
import java.io.OutputStream;

/** The frames a session sends back, buffered; flushed when the client has nothing more waiting to be read. */
final class Replies {
    private final OutputStream out;
    private String hiddenRoot;
    private String shownAs;

    Replies(OutputStream out) {
        this.out = out;
    }

    void send(FrameType type, int id, byte[] body) throws IOException {
        FrameIO.write(out, type, id, body);
    }

    void ok(int id) throws IOException {
        send(FrameType.OK, id, new byte[0]);
    }

    /** Messages name the module's directory as {@code <NAME>}: where it lies on the server is not the client's. */
    void hide(String root, String name) {
        hiddenRoot = root;
        shownAs = "<" + name + ">";
    }

    void error(int id, ErrorCode code, String message) throws IOException {
        send(FrameType.ERROR, id, new WireOut().u16(code.code()).string(shown(message)).toBytes());
    }

    String shown(String message) {
        return hiddenRoot == null || message == null ? message : message.replace(hiddenRoot, shownAs);
    }

    void error(int id, IOException e) throws IOException {
        error(id, ErrorCode.of(e), message(e));
    }

    void flush() throws IOException {
        out.flush();
    }

    static String message(IOException e) {
        if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
