package dev.duplex.remote;

import dev.duplex.remote.protocol.Frame;
import dev.duplex.remote.protocol.FrameType;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ExecutionException;

/**
 * Requests with one answer on the control connection. Every one of them can be sent again safely (a delete that
 * was done answers "nothing to delete"), so a connection that drops before the answer is opened again and the
 * request sent again, with the backoff of {@code --retries} and {@code --retry-wait}.
 */
final class Requests {
    private final Channels channels;
    private final Endpoint endpoint;

    Requests(Channels channels, Endpoint endpoint) {
        this.channels = channels;
        this.endpoint = endpoint;
    }

    /** Sends the request and waits for its answer; an ERROR answer is thrown as a local tree would throw it. */
    Frame call(FrameType type, byte[] body, String name) throws IOException {
        try {
            return channels.withRetries(type + " " + name, () -> {
                Connection c = channels.control();
                int id = c.nextId();
                var answer = c.expect(id);
                c.send(type, id, body);
                c.flush();
                try {
                    return Connection.answer(answer.get(), name);
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for " + endpoint.server());
        }
    }
}
