package dev.duplex.remote.server;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The small-file batches being written into a module, by the client's batch id. A client whose connection dropped
 * before the answer sends the batch again on a new connection; the session still writing it on the old one (this
 * side may not have seen the drop yet) is told to stop and closed, and the new one waits until it has stopped, so
 * the two never write the same temp files at once (the old one would otherwise leave temps behind the new one's
 * commits). Thread-safe.
 */
final class BatchClaims {
    private static final Duration TAKE_OVER_WAIT = Duration.ofSeconds(30);

    /** One session's hold on a batch: its connection's closer, and whether it was told to stop. */
    static final class Holder {
        private final Runnable closeConnection;
        private volatile boolean stopped;

        Holder(Runnable closeConnection) {
            this.closeConnection = closeConnection;
        }

        boolean stopped() {
            return stopped;
        }
    }

    private final Map<Long, Holder> held = new HashMap<>();

    /** Takes batch {@code id} for {@code holder}, stopping (and waiting for) a session that holds it. */
    synchronized void take(long id, Holder holder) throws InterruptedException {
        long deadline = System.nanoTime() + TAKE_OVER_WAIT.toNanos();
        Holder other;
        while ((other = held.get(id)) != null) {
            other.stopped = true;
            other.closeConnection.run();
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new InterruptedException("batch " + id + " is still being written by another connection");
            }
            wait(Math.max(1, left / 1_000_000));
        }
        held.put(id, holder);
    }

    synchronized void release(long id, Holder holder) {
        if (held.get(id) == holder) {
            held.remove(id);
            notifyAll();
        }
    }
}
