package dev.duplex.remote;

import dev.duplex.digest.HashAlgorithm;
import dev.duplex.remote.protocol.Fields;
import dev.duplex.remote.protocol.Frame;
import dev.duplex.remote.protocol.FrameIO;
import dev.duplex.remote.protocol.FrameType;
import dev.duplex.remote.protocol.WireOut;
import dev.duplex.tree.RelPath;
import dev.duplex.tree.TempFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A temp file on a daemon. A small file (one write of at most the batch threshold, then finish) travels whole in a
 * batch with others ({@code PUT_BATCH}); a larger one is opened ({@code TEMP_OPEN}), its bytes sent in data frames
 * without waiting for any answer, and finished ({@code TEMP_FINISH}). The daemon hashes what it receives and keeps
 * the file only when that hash is the sender's; its answer (or an early error: a full disk) completes the future.
 *
 * <p>The bytes sent stay here until the daemon acknowledges them ({@code TEMP_ACK}, every few MiB), at most
 * {@link #WINDOW} bytes: when the connection drops, the transfer is resumed on a new one ({@code TEMP_RESUME}) from
 * the bytes the daemon holds, not from byte 0. One thread writes; the finish may be resumed on another.
 */
final class RemoteTempFile implements TempFile {
    /** Bytes sent and not yet acknowledged, at most. */
    static final long WINDOW = 16L * 1024 * 1024;
    private static final SecureRandom IDS = new SecureRandom();

    private final RemoteTree tree;
    private final RelPath finalPath;
    private final HashAlgorithm algorithm;
    private final long transferId = IDS.nextLong();
    private final Replay replay = new Replay();
    private byte[] small;
    private Connection connection;
    private boolean ownConnection;
    private int id;
    private CompletableFuture<Frame> answer;
    private long sent;

    RemoteTempFile(RemoteTree tree, RelPath finalPath, HashAlgorithm algorithm) {
        this.tree = tree;
        this.finalPath = finalPath;
        this.algorithm = algorithm;
    }

    @Override
    public RelPath finalPath() {
        return finalPath;
    }

    @Override
    public void write(ByteBuffer data) throws IOException {
        if (connection == null && small == null && data.remaining() <= tree.smallFileBytes()) {
            small = new byte[data.remaining()];
            data.get(small);
            return;
        }
        if (connection == null) {
            start(tree.dataConnection(), false);
            send(FrameType.TEMP_OPEN, new WireOut().path(finalPath).string(algorithm.cliName()).i64(transferId)
                    .toBytes());
            if (small != null) {
                byte[] held = small;
                small = null;
                sendData(WireOut.dataBody(ByteBuffer.wrap(held)));
            }
        }
        failFast();
        while (data.hasRemaining()) {
            ByteBuffer part = data.duplicate();
            part.limit(part.position() + Math.min(part.remaining(), FrameIO.DATA_CHUNK));
            sendData(WireOut.dataBody(part));
            data.position(part.limit());
        }
    }

    private void start(Connection c, boolean own) {
        connection = c;
        ownConnection = own;
        id = c.nextId();
        answer = c.expect(id, Set.of(FrameType.TEMP_ACK, FrameType.TEMP_RESUMED), replay::progress);
    }

    private void send(FrameType type, byte[] body) throws IOException {
        try {
            connection.send(type, id, body);
        } catch (IOException e) {
            if (!ConnectionLostException.is(e)) {
                throw e;
            }
            resumeHere(e); // the frame itself is sent again by the resume (a TEMP_OPEN: the daemon has it or not)
        }
    }

    /** Sends a data frame, kept until the daemon acknowledges it; waits while the window is full. */
    private void sendData(byte[] body) throws IOException {
        try {
            replay.awaitRoom(body.length - 4, answer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while sending " + tree.nameOf(finalPath));
        }
        replay.add(sent, body);
        sent += body.length - 4;
        send(FrameType.TEMP_DATA, body);
    }

    /** An error the daemon has already answered (a full disk): no point sending the rest. A drop: resume. */
    private void failFast() throws IOException {
        if (answer.isDone()) {
            try {
                Frame f = answer.join();
                Connection.answer(f, tree.nameOf(finalPath));
                throw new IOException("the daemon ended " + tree.nameOf(finalPath) + " before it was finished");
            } catch (java.util.concurrent.CompletionException e) {
                if (!ConnectionLostException.is(e)) {
                    throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
                }
                resumeHere(connection.failure());
            }
        }
    }

    /** Resumes the transfer on this thread's new connection, while writing. */
    private void resumeHere(IOException lost) throws IOException {
        Resume.Outcome outcome = resume(lost, false);
        if (outcome == Resume.Outcome.FINISHED) {
            throw new IOException("the daemon finished " + tree.nameOf(finalPath) + " before it was sent whole");
        }
    }

    private Resume.Outcome resume(IOException lost, boolean ownConnection) throws IOException {
        try {
            return new Resume(tree, finalPath, transferId, algorithm.cliName(), replay).run(lost, ownConnection, new Resume.Transfer() {
                @Override
                public void start(Connection c, boolean own) {
                    RemoteTempFile.this.start(c, own);
                }

                @Override
                public int id() {
                    return id;
                }

                @Override
                public CompletableFuture<Frame> answer() {
                    return answer;
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while resuming " + tree.nameOf(finalPath));
        }
    }

    @Override
    public void flush() throws IOException {
        if (connection != null) {
            try {
                connection.flush();
            } catch (IOException e) {
                if (!ConnectionLostException.is(e)) {
                    throw e;
                }
                resumeHere(e);
            }
        }
    }

    @Override
    public Optional<Path> localPath() {
        return Optional.empty();
    }

    @Override
    public CompletableFuture<Void> finish(Finish spec) {
        if (connection == null) {
            try {
                return tree.putSmall(finalPath, small == null ? new byte[0] : small, spec);
            } catch (IOException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        tree.finishing(finalPath, spec.source().sizeBytes());
        CompletableFuture<Void> done = new CompletableFuture<>();
        byte[] body = finishBody(spec);
        try {
            send(FrameType.TEMP_FINISH, body);
            connection.flush();
        } catch (IOException e) {
            if (!ConnectionLostException.is(e)) {
                return CompletableFuture.failedFuture(e);
            }
            // the answer's future fails with the lost connection: the watch below resumes
        }
        watch(done, body);
        return done;
    }

    private static byte[] finishBody(Finish spec) {
        WireOut out = new WireOut();
        Fields.finish(out, spec);
        return out.toBytes();
    }

    /** Completes {@code done} from the daemon's answer; a dropped connection resumes on another thread. */
    private void watch(CompletableFuture<Void> done, byte[] finishBody) {
        String name = tree.nameOf(finalPath);
        answer.whenComplete((f, failure) -> {
            if (failure == null) {
                release();
                try {
                    Connection.answer(f, name);
                    done.complete(null);
                } catch (IOException e) {
                    done.completeExceptionally(e);
                }
                return;
            }
            if (!ConnectionLostException.is(failure)) {
                release();
                done.completeExceptionally(failure);
                return;
            }
            Resume.RECOVERY.execute(() -> {
                try {
                    IOException lost = failure instanceof IOException io ? io
                            : new ConnectionLostException(String.valueOf(failure.getMessage()), failure);
                    if (resume(lost, true) == Resume.Outcome.FINISHED) {
                        release();
                        done.complete(null);
                        return;
                    }
                    connection.send(FrameType.TEMP_FINISH, id, finishBody);
                    connection.flush();
                    watch(done, finishBody);
                } catch (IOException e) {
                    release();
                    done.completeExceptionally(e);
                }
            });
        });
    }

    /** A connection opened for a resume of the finish is closed once the answer is in. */
    private void release() {
        if (ownConnection) {
            tree.releaseConnection(connection);
            ownConnection = false;
        }
    }

    @Override
    public void abandon() {
        small = null;
        if (connection != null) {
            try {
                connection.send(FrameType.TEMP_ABANDON, id, new byte[0]);
                connection.forget(id);
                connection.flush();
            } catch (IOException ignored) {
                // the connection is gone: the daemon gives the parked temp file up when it expires or stops
            }
            release();
        }
    }
}
