package dev.duplex.remote;

import dev.duplex.remote.protocol.Frame;
import dev.duplex.remote.protocol.FrameType;
import dev.duplex.remote.protocol.ProtocolException;
import dev.duplex.remote.protocol.WireOut;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The data frames of a temp file sent to a daemon and not yet acknowledged: what a resume sends again, from the
 * byte the daemon says it holds. Bounded by {@link RemoteTempFile#WINDOW}: the writer waits for acknowledgements
 * beyond that. Thread-safe (the connection's reader thread delivers the acknowledgements).
 */
final class Replay {
    private record Sent(long offset, byte[] body) {
        long end() {
            return offset + body.length - 4;
        }
    }

    private final ArrayDeque<Sent> unacked = new ArrayDeque<>();
    private long acked;
    private long end;
    private CompletableFuture<Long> resumed;

    synchronized void add(long offset, byte[] dataBody) {
        Sent s = new Sent(offset, dataBody);
        unacked.add(s);
        end = s.end();
    }

    /** Waits while {@code n} more bytes would overfill the window, unless the request has ended (or failed). */
    synchronized void awaitRoom(int n, CompletableFuture<?> answer) throws InterruptedException {
        while (!unacked.isEmpty() && end - acked + n > RemoteTempFile.WINDOW && !answer.isDone()) {
            wait(100);
        }
    }

    /** A {@code TEMP_ACK} or {@code TEMP_RESUMED} frame (reader thread). */
    void progress(Frame f) {
        long held;
        try {
            held = f.in().i64();
        } catch (ProtocolException e) {
            return; // a malformed acknowledgement: the data stays here, which is safe
        }
        CompletableFuture<Long> r;
        synchronized (this) {
            acknowledge(held);
            r = f.type() == FrameType.TEMP_RESUMED ? resumed : null;
        }
        if (r != null) {
            r.complete(held);
        }
    }

    private void acknowledge(long held) {
        acked = Math.max(acked, held);
        while (!unacked.isEmpty() && unacked.peekFirst().end() <= acked) {
            unacked.removeFirst();
        }
        notifyAll();
    }

    /** Whether every byte sent so far is still here (nothing was acknowledged and let go). */
    synchronized boolean holdsAllFromZero() {
        return acked == 0 && (unacked.isEmpty() ? end == 0 : unacked.peekFirst().offset() == 0);
    }

    /** Before a TEMP_RESUME: the future that its answer, the bytes the daemon holds, completes. */
    synchronized CompletableFuture<Long> expectResumed() {
        resumed = new CompletableFuture<>();
        return resumed;
    }

    /**
     * The data frames to send again when the daemon holds {@code held} bytes.
     *
     * @throws IOException when some of what the daemon lacks is no longer here (it cannot be resumed)
     */
    synchronized List<byte[]> from(long held) throws IOException {
        if (held > end) {
            throw new IOException("the daemon holds " + held + " bytes of a file " + end + " bytes were sent of");
        }
        acknowledge(held);
        if (held < end && (unacked.isEmpty() || unacked.peekFirst().offset() > held)) {
            throw new IOException("cannot resume at byte " + held + ": the bytes from there were acknowledged "
                    + "and let go");
        }
        List<byte[]> again = new ArrayList<>();
        for (Sent s : unacked) {
            if (s.offset() >= held) {
                again.add(s.body());
            } else {
                int skip = (int) (held - s.offset());
                again.add(WireOut.dataBody(ByteBuffer.wrap(s.body(), 4 + skip, s.body().length - 4 - skip)));
            }
        }
        return again;
    }
}
