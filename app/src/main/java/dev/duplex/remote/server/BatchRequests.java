package dev.duplex.remote.server;

import dev.duplex.digest.HashAlgorithm;
import dev.duplex.remote.protocol.ErrorCode;
import dev.duplex.remote.protocol.Fields;
import dev.duplex.remote.protocol.FrameType;
import dev.duplex.remote.protocol.ProtocolException;
import dev.duplex.remote.protocol.WireIn;
import dev.duplex.remote.protocol.WireOut;
import dev.duplex.tree.LocalTree;
import dev.duplex.tree.RelPath;
import dev.duplex.tree.TempFile;
import dev.duplex.tree.TempName;
import dev.duplex.tree.Tree;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/**
 * Many small requests in one frame: {@code PUT_BATCH} (small files, each whole: written to its temp file, hashed,
 * checked against the sender's hash, finished) and {@code COMMIT_BATCH} (temp files renamed into place). Both can
 * be sent again after a dropped connection: a put writes its temp file anew, a commit finds itself done. Session
 * thread.
 */
final class BatchRequests {
    private static final int MAX_ITEMS = 100_000;

    private final ModuleView view;
    private final LocalTree tree;
    private final Replies replies;
    private final boolean writable;

    private final BatchClaims.Holder holder;

    BatchRequests(ModuleView view, Replies replies, boolean writable, Runnable closeConnection) {
        this.view = view;
        this.tree = view.module().tree();
        this.replies = replies;
        this.writable = writable;
        this.holder = new BatchClaims.Holder(closeConnection);
    }

    void putBatch(int id, WireIn in) throws IOException {
        long batchId = in.i64();
        int n = count(in, "files");
        try {
            view.module().batches().take(batchId, holder);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException(e.getMessage());
        }
        try {
            putEach(id, in, n);
        } finally {
            view.module().batches().release(batchId, holder);
        }
    }

    private void putEach(int id, WireIn in, int n) throws IOException {
        BatchResult result = new BatchResult(n);
        for (int i = 0; i < n; i++) {
            if (holder.stopped()) {
                throw new java.io.IOException("the batch is being written again on another connection");
            }
            RelPath p = view.inModule(in.path());
            byte[] content = in.bytes();
            TempFile.Finish spec = Fields.finish(in);
            if (!writable) {
                result.add(ErrorCode.READ_ONLY, readOnly());
                continue;
            }
            try {
                view.module().supersede(p);
                TempFile temp = tree.createTemp(p);
                view.module().temps().add(p);
                temp.write(ByteBuffer.wrap(content));
                HashAlgorithm.FileHasher hasher = spec.algorithm().newHasher();
                hasher.update(ByteBuffer.wrap(content));
                Optional<String> problem = Receiving.complete(temp, hasher.finishHex(), spec);
                if (problem.isPresent()) {
                    view.module().temps().remove(p);
                }
                result.add(problem.isPresent() ? ErrorCode.IO : ErrorCode.OK, replies.shown(problem.orElse("")));
            } catch (IOException e) {
                tree.abandon(p);
                view.module().temps().remove(p);
                result.add(ErrorCode.of(e), replies.shown(Replies.message(e)));
            }
        }
        in.end();
        replies.send(FrameType.BATCH_RESULT, id, result.encode());
    }

    /**
     * Renames temp files into place. A commit sent again after a dropped connection finds its temp file gone and
     * the final file in place with the size the sender gave (-1: any, a symlink): done already, not a failure.
     */
    void commitBatch(int id, WireIn in) throws IOException {
        int n = count(in, "commits");
        BatchResult result = new BatchResult(n);
        for (int i = 0; i < n; i++) {
            RelPath p = view.inModule(in.path());
            long size = in.i64();
            if (!writable) {
                result.add(ErrorCode.READ_ONLY, readOnly());
                continue;
            }
            try {
                tree.commit(p).join();
                view.module().temps().remove(p);
                result.add(ErrorCode.OK, "");
            } catch (CompletionException e) {
                if (committedAlready(p, size)) {
                    result.add(ErrorCode.OK, "");
                } else {
                    Throwable cause = e.getCause() == null ? e : e.getCause();
                    IOException io = cause instanceof IOException x ? x : new IOException(cause.toString());
                    result.add(ErrorCode.of(io), replies.shown(Replies.message(io)));
                }
            }
        }
        in.end();
        replies.send(FrameType.BATCH_RESULT, id, result.encode());
    }

    private static int count(WireIn in, String what) throws ProtocolException {
        int n = in.i32();
        if (n < 0 || n > MAX_ITEMS) {
            throw new ProtocolException("a batch of " + n + " " + what);
        }
        return n;
    }

    private String readOnly() {
        return "module " + view.module().name() + " is read-only";
    }

    private boolean committedAlready(RelPath p, long size) {
        try {
            return tree.stat(TempName.forFinal(p), Tree.Detail.BASIC).isEmpty()
                    && tree.stat(p, Tree.Detail.BASIC).filter(e -> size < 0 || e.metadata().sizeBytes() == size)
                    .isPresent();
        } catch (IOException e) {
            return false;
        }
    }

    /** One result per item of a batch: a code (0 = done) and a message. */
    private static final class BatchResult {
        private final WireOut out;

        BatchResult(int n) {
            out = new WireOut(16 + n * 8).i32(n);
        }

        void add(ErrorCode code, String message) {
            out.u16(code.code()).string(message);
        }

        byte[] encode() {
            return out.toBytes();
        }
    }
}
