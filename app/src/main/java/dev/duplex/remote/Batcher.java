package dev.duplex.remote;

import dev.duplex.remote.protocol.ErrorCode;
import dev.duplex.remote.protocol.Frame;
import dev.duplex.remote.protocol.FrameType;
import dev.duplex.remote.protocol.WireIn;
import dev.duplex.remote.protocol.WireOut;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Many small requests in one frame: small files ({@code PUT_BATCH}) or commits ({@code COMMIT_BATCH}). An item
 * waits at most {@code lingerMillis} for others to join it, and a batch goes as soon as it holds
 * {@code maxItems} items or {@code maxBytes} bytes; each item's future completes from the daemon's
 * {@code BATCH_RESULT}. Thread-safe.
 */
final class Batcher {
    /** Writes one item into the batch's frame body. */
    interface Item {
        void encode(WireOut out);

        /** How the item is named in an error. */
        String name();
    }

    private record Pending(Item item, CompletableFuture<Void> done) {}

    private static final java.security.SecureRandom IDS = new java.security.SecureRandom();

    private final FrameType type;
    private final Connection connection;
    private final Channels channels;
    private final ScheduledExecutorService timer;
    private final int maxItems;
    private final int maxBytes;
    private final long lingerMillis;
    private List<Pending> batch = new ArrayList<>();
    private WireOut body;
    private int bytes;
    private ScheduledFuture<?> linger;

    Batcher(FrameType type, Connection connection, Channels channels, ScheduledExecutorService timer, int maxItems,
            int maxBytes, long lingerMillis) {
        this.type = type;
        this.connection = connection;
        this.channels = channels;
        this.timer = timer;
        this.maxItems = maxItems;
        this.maxBytes = maxBytes;
        this.lingerMillis = lingerMillis;
    }

    /** Adds an item of about {@code size} bytes; the future completes when the daemon has done it (or failed). */
    synchronized CompletableFuture<Void> add(Item item, int size) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (body == null) {
            body = new WireOut(Math.min(maxBytes, size * maxItems) + 64);
        }
        item.encode(body);
        batch.add(new Pending(item, done));
        bytes += size;
        if (batch.size() >= maxItems || bytes >= maxBytes) {
            send();
        } else if (linger == null) {
            linger = timer.schedule(this::sendQuietly, lingerMillis, TimeUnit.MILLISECONDS);
        }
        return done;
    }

    /** The connection the batches go on. */
    Connection connection() {
        return connection;
    }

    /** Sends what is waiting now (before a request that must not overtake it). */
    synchronized void sendNow() {
        if (!batch.isEmpty()) {
            send();
        }
    }

    private synchronized void sendQuietly() {
        linger = null;
        if (!batch.isEmpty()) {
            send();
        }
    }

    private void send() {
        if (linger != null) {
            linger.cancel(false);
            linger = null;
        }
        List<Pending> items = batch;
        byte[] itemsBody = body.toBytes();
        batch = new ArrayList<>();
        body = null;
        bytes = 0;
        WireOut head = new WireOut(16);
        if (type == FrameType.PUT_BATCH) {
            head.i64(IDS.nextLong()); // a batch sent again is known by it: the daemon never writes it twice at once
        }
        byte[] frame = head.i32(items.size()).toBytes();
        byte[] all = new byte[frame.length + itemsBody.length];
        System.arraycopy(frame, 0, all, 0, frame.length);
        System.arraycopy(itemsBody, 0, all, frame.length, itemsBody.length);
        try {
            Connection c = connection;
            int id = c.nextId();
            c.expect(id).whenComplete((answer, failure) -> {
                if (failure != null && ConnectionLostException.is(failure)) {
                    Resume.RECOVERY.execute(() -> sendAgain(items, all, failure));
                } else {
                    complete(items, answer, failure);
                }
            });
            c.send(type, id, all);
            c.flush();
        } catch (IOException | RuntimeException e) {
            if (!ConnectionLostException.is(e)) {
                items.forEach(p -> p.done().completeExceptionally(e));
            } // else the answer's future fails too, and sends the batch again
        }
    }

    /**
     * The connection dropped before the answer: the whole batch goes again on a connection of its own (a put writes
     * its temp files anew, a commit done already finds itself done), with the backoff of --retries.
     */
    private void sendAgain(List<Pending> items, byte[] body, Throwable lost) {
        boolean[] first = {true};
        try {
            Frame answer = channels.withRetries("sending a " + type + " again", () -> {
                if (first[0]) {
                    first[0] = false;
                    throw lost instanceof IOException io ? io : new IOException(lost);
                }
                Connection c = channels.single();
                try {
                    int id = c.nextId();
                    var answered = c.expect(id);
                    c.send(type, id, body);
                    c.flush();
                    return answered.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
                } finally {
                    channels.release(c);
                }
            });
            complete(items, answer, null);
        } catch (IOException | RuntimeException e) {
            complete(items, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            complete(items, null, e);
        }
    }

    private static void complete(List<Pending> items, Frame answer, Throwable failure) {
        if (failure != null) {
            items.forEach(p -> p.done().completeExceptionally(failure));
            return;
        }
        try {
            Connection.answer(answer, "a batch");
            WireIn in = answer.in();
            int n = in.i32();
            if (n != items.size()) {
                throw new IOException("the daemon answered " + n + " of a batch of " + items.size());
            }
            for (Pending p : items) {
                ErrorCode code = ErrorCode.of(in.u16());
                String message = in.string();
                if (code == ErrorCode.OK) {
                    p.done().complete(null);
                } else {
                    p.done().completeExceptionally(code.toException(p.item().name(), message));
                }
            }
        } catch (IOException e) {
            items.forEach(p -> p.done().completeExceptionally(e));
        }
    }
}
