package dev.duplex.remote.server;

import dev.duplex.digest.HashAlgorithm;
import dev.duplex.remote.protocol.Fields;
import dev.duplex.remote.protocol.FrameIO;
import dev.duplex.remote.protocol.FrameType;
import dev.duplex.remote.protocol.ProtocolException;
import dev.duplex.remote.protocol.WireIn;
import dev.duplex.remote.protocol.WireOut;
import dev.duplex.tree.FileMetadata;
import dev.duplex.tree.LocalTree;
import dev.duplex.tree.RelPath;
import dev.duplex.tree.SourceFile;
import dev.duplex.tree.Tree;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * {@code READ}: streams a file to the client: its metadata when opened, its bytes in data frames of the size the
 * client asked for, then the hash of the whole file and its metadata after the read. A read that resumes after a
 * dropped connection starts at an offset: the bytes before it are hashed here, not sent again. Session thread.
 */
final class ReadRequests {
    private static final int MIN_CHUNK = 4 * 1024;

    private final ModuleView view;
    private final LocalTree tree;
    private final Replies replies;
    private final ByteBuffer buffer = ByteBuffer.allocate(FrameIO.DATA_CHUNK);

    ReadRequests(ModuleView view, Replies replies) {
        this.view = view;
        this.tree = view.module().tree();
        this.replies = replies;
    }

    void read(int id, WireIn in) throws IOException {
        RelPath p = view.inModule(in.path());
        Tree.Detail detail = Fields.detail(in);
        HashAlgorithm algorithm = Fields.algorithm(in);
        long offset = in.i64();
        int chunk = in.i32();
        in.end();
        if (offset < 0 || chunk < MIN_CHUNK || chunk > FrameIO.DATA_CHUNK) {
            throw new ProtocolException("a READ at offset " + offset + " in chunks of " + chunk);
        }
        try (SourceFile file = tree.openRead(p, detail)) {
            replies.send(FrameType.READ_META, id, new WireOut().metadata(file.metadata()).toBytes());
            HashAlgorithm.FileHasher hasher = algorithm.newHasher();
            long skipped = 0;
            while (true) {
                buffer.clear().limit((int) Math.min(chunk, offset > skipped ? offset - skipped : chunk));
                int n = file.read(buffer);
                if (n < 0) {
                    break;
                }
                buffer.flip();
                hasher.update(buffer.duplicate());
                if (skipped < offset) {
                    skipped += n; // resuming: the client has these bytes already
                    continue;
                }
                replies.send(FrameType.DATA, id, WireOut.dataBody(buffer));
            }
            Optional<FileMetadata> now = file.metadataNow();
            WireOut end = new WireOut().string(hasher.finishHex()).bool(now.isPresent());
            now.ifPresent(end::metadata);
            replies.send(FrameType.READ_END, id, end.toBytes());
        }
    }
}
