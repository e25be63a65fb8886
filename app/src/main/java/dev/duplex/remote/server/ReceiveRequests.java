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
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Receiving large files: {@code TEMP_OPEN}, its {@code TEMP_DATA} frames (acknowledged with {@code TEMP_ACK} every
 * {@value #ACK_EVERY} bytes, so the client can let go of what arrived), {@code TEMP_FINISH} (the hash of what
 * arrived must be the sender's) or {@code TEMP_ABANDON}. When the connection drops, the files being received are
 * parked in the module's {@link Transfers}; {@code TEMP_RESUME} on a new connection takes one over and answers how
 * many bytes are held, and the client sends the rest. Session thread.
 */
final class ReceiveRequests {
    static final int ACK_EVERY = 2 * 1024 * 1024;
    private static final Duration TAKE_OVER_WAIT = Duration.ofSeconds(10);

    private final ModuleView view;
    private final LocalTree tree;
    private final Replies replies;
    private final boolean writable;
    private final Runnable closeConnection;
    private final Clock clock;
    private final Map<Integer, Receiving> receiving = new HashMap<>();

    ReceiveRequests(ModuleView view, Replies replies, boolean writable, Runnable closeConnection, Clock clock) {
        this.view = view;
        this.tree = view.module().tree();
        this.replies = replies;
        this.writable = writable;
        this.closeConnection = closeConnection;
        this.clock = clock;
    }

    private Transfers transfers() {
        return view.module().transfers();
    }

    void open(int id, WireIn in) throws IOException {
        RelPath p = view.inModule(in.path());
        HashAlgorithm algorithm = Fields.algorithm(in);
        long transferId = in.i64();
        in.end();
        if (receiving.containsKey(id) || transfers().isKnown(transferId)) {
            throw new ProtocolException("TEMP_OPEN of request " + id + ", transfer " + transferId + " again");
        }
        Receiving r = new Receiving(transferId, p, algorithm);
        receiving.put(id, r);
        if (!writable) {
            fail(id, r, ErrorCode.READ_ONLY, "module " + view.module().name() + " is read-only");
            return;
        }
        try {
            view.module().supersede(p);
            r.temp = tree.createTemp(p);
            view.module().temps().add(p);
            r.owner = closeConnection;
            transfers().own(r);
        } catch (IOException e) {
            fail(id, r, ErrorCode.of(e), Replies.message(e));
        }
    }

    void data(int id, WireIn in) throws IOException {
        byte[] bytes = in.bytes();
        in.end();
        Receiving r = receiving.get(id);
        if (r == null) {
            throw new ProtocolException("TEMP_DATA for request " + id + ", which opened no temp file");
        }
        if (r.failed) {
            return; // answered already; the rest of the file is dropped
        }
        try {
            r.write(bytes);
        } catch (IOException e) {
            r.temp.abandon();
            fail(id, r, ErrorCode.of(e), Replies.message(e));
            return;
        }
        if (r.bytes - r.acked >= ACK_EVERY) {
            r.acked = r.bytes;
            replies.send(FrameType.TEMP_ACK, id, new WireOut().i64(r.bytes).toBytes());
        }
    }

    void finish(int id, WireIn in) throws IOException {
        TempFile.Finish spec = Fields.finish(in);
        in.end();
        Receiving r = receiving.remove(id);
        if (r == null) {
            throw new ProtocolException("TEMP_FINISH for request " + id + ", which opened no temp file");
        }
        if (r.failed) {
            return;
        }
        Optional<String> problem = Receiving.complete(r.temp, r.receivedHash(), spec);
        transfers().end(r, problem.orElse(""));
        if (problem.isPresent()) {
            view.module().temps().remove(r.path);
            replies.error(id, ErrorCode.IO, problem.get());
        } else {
            replies.ok(id);
        }
    }

    void abandon(int id, WireIn in) throws IOException {
        in.end();
        Receiving r = receiving.remove(id);
        if (r != null && r.temp != null && !r.failed) {
            r.temp.abandon();
            view.module().temps().remove(r.path);
            transfers().end(r, "given up by the client");
        }
    }

    /** Takes over a transfer whose connection dropped: answers the bytes held, or how it ended. */
    void resume(int id, WireIn in) throws IOException {
        RelPath p = view.inModule(in.path());
        long transferId = in.i64();
        in.end();
        if (receiving.containsKey(id)) {
            throw new ProtocolException("TEMP_RESUME of request " + id + " again");
        }
        Transfers.Claim claim;
        try {
            claim = transfers().claim(transferId, TAKE_OVER_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("the daemon is stopping");
        }
        if (claim.parked().isPresent()) {
            Receiving r = claim.parked().get();
            if (!r.path.equals(p)) {
                transfers().park(r, clock.instant());
                replies.error(id, ErrorCode.BAD_REQUEST, "transfer " + transferId + " is of another file");
                return;
            }
            r.owner = closeConnection;
            transfers().own(r);
            receiving.put(id, r);
            r.acked = r.bytes;
            replies.send(FrameType.TEMP_RESUMED, id, new WireOut().i64(r.bytes).toBytes());
        } else if (claim.endedWith().isPresent()) {
            String outcome = claim.endedWith().get();
            if (outcome.isEmpty()) {
                replies.ok(id);
            } else {
                replies.error(id, ErrorCode.IO, outcome);
            }
        } else {
            replies.error(id, ErrorCode.NOT_FOUND, "no transfer " + transferId + " to resume here (the daemon "
                    + "restarted, or gave it up after " + Transfers.PARK_TIME.toMinutes() + " minutes)");
        }
    }

    private void fail(int id, Receiving r, ErrorCode code, String message) throws IOException {
        r.failed = true;
        view.module().temps().remove(r.path);
        transfers().end(r, message);
        replies.error(id, code, message);
    }

    /** The connection is gone: the files still being received are parked for a resume. */
    void close() {
        receiving.values().forEach(r -> {
            if (r.temp != null && !r.failed) {
                transfers().park(r, clock.instant());
            }
        });
        receiving.clear();
    }
}
