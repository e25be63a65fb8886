package dev.duplex.remote;

import dev.duplex.remote.protocol.Frame;
import dev.duplex.remote.protocol.FrameType;
import dev.duplex.remote.protocol.WireOut;
import dev.duplex.tree.RelPath;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Resumes a temp file's transfer after its connection dropped: on a new connection, {@code TEMP_RESUME} asks the
 * daemon for the transfer (which it parked, temp file and hash state kept); the daemon answers with the bytes it
 * holds, and the data from there is sent again from the {@link Replay}. Or it answers that the file was finished
 * already (the answer to TEMP_FINISH was what the drop lost), or why it cannot go on. With the backoff of
 * {@code --retries} and {@code --retry-wait}.
 */
final class Resume {
    /** What the daemon said. */
    enum Outcome { RESUMED, FINISHED }

    /** The transfer being resumed, as the temp file lets this see it. */
    interface Transfer {
        /** Makes {@code c} the transfer's connection, with a new request id and answer. */
        void start(Connection c, boolean own);

        int id();

        CompletableFuture<Frame> answer();
    }

    /** Finishes resumed off the writer threads (an answer lost with its connection). */
    static final ExecutorService RECOVERY = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "duplex-resume");
        t.setDaemon(true);
        return t;
    });

    private final RemoteTree tree;
    private final RelPath path;
    private final long transferId;
    private final String algorithm;
    private final Replay replay;

    Resume(RemoteTree tree, RelPath path, long transferId, String algorithm, Replay replay) {
        this.tree = tree;
        this.path = path;
        this.transferId = transferId;
        this.algorithm = algorithm;
        this.replay = replay;
    }

    private static boolean notFound(Frame error) {
        try {
            return dev.duplex.remote.protocol.ErrorCode.of(error.in().u16())
                    == dev.duplex.remote.protocol.ErrorCode.NOT_FOUND;
        } catch (dev.duplex.remote.protocol.ProtocolException e) {
            return false;
        }
    }

    /**
     * @param own on a connection of its own (not the calling thread's: a finish resumed on another thread)
     */
    Outcome run(IOException lost, boolean own, Transfer transfer) throws IOException, InterruptedException {
        String name = tree.nameOf(path);
        boolean[] first = {true};
        Connection[] opened = {null};
        return tree.channels().withRetries("resuming " + name, () -> {
            if (first[0]) {
                first[0] = false;
                throw lost; // the drop counts as the first failure: wait before trying again
            }
            if (opened[0] != null) {
                tree.releaseConnection(opened[0]);
            }
            Connection c = own ? tree.channels().single() : tree.channels().replaceThisThread();
            opened[0] = own ? c : null;
            CompletableFuture<Long> held = replay.expectResumed();
            transfer.start(c, own);
            c.send(FrameType.TEMP_RESUME, transfer.id(), new WireOut().path(path).i64(transferId).toBytes());
            c.flush();
            CompletableFuture<Frame> answer = transfer.answer();
            try {
                CompletableFuture.anyOf(held, answer).get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            }
            if (held.isDone()) {
                for (byte[] body : replay.from(held.join())) {
                    c.send(FrameType.TEMP_DATA, transfer.id(), body);
                }
                c.flush();
                return Outcome.RESUMED;
            }
            Frame end = answer.join();
            if (end.type() == FrameType.ERROR && replay.holdsAllFromZero() && notFound(end)) {
                // the drop took the TEMP_OPEN itself (the daemon never heard of the transfer), and nothing was
                // acknowledged, so every byte is still here: open it again and send it all
                transfer.start(c, own);
                c.send(FrameType.TEMP_OPEN, transfer.id(), new WireOut().path(path).string(algorithm).i64(transferId)
                        .toBytes());
                for (byte[] body : replay.from(0)) {
                    c.send(FrameType.TEMP_DATA, transfer.id(), body);
                }
                c.flush();
                return Outcome.RESUMED;
            }
            Connection.answer(end, name); // an ERROR: why it cannot go on (not retried)
            return Outcome.FINISHED;
        });
    }
}
