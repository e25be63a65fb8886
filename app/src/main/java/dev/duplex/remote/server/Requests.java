package dev.duplex.remote.server;

import dev.duplex.remote.protocol.Frame;
import dev.duplex.remote.protocol.WireIn;
import java.io.IOException;
import java.time.Clock;

/** Sends each request of an accepted session to the handler of its kind. Session thread. */
final class Requests {
    private final MetadataRequests metadata;
    private final ReadRequests reads;
    private final ReceiveRequests receives;
    private final BatchRequests batches;

    Requests(ModuleView view, Replies replies, boolean writable, Runnable closeConnection, Clock clock) {
        this.metadata = new MetadataRequests(view, replies, writable);
        this.reads = new ReadRequests(view, replies);
        this.receives = new ReceiveRequests(view, replies, writable, closeConnection, clock);
        this.batches = new BatchRequests(view, replies, writable, closeConnection);
    }

    /** Handles a request; false when the frame is not a request. */
    boolean handle(Frame f) throws IOException, InterruptedException {
        WireIn in = f.in();
        switch (f.type()) {
            case READ -> reads.read(f.id(), in);
            case TEMP_OPEN -> receives.open(f.id(), in);
            case TEMP_DATA -> receives.data(f.id(), in);
            case TEMP_FINISH -> receives.finish(f.id(), in);
            case TEMP_ABANDON -> receives.abandon(f.id(), in);
            case TEMP_RESUME -> receives.resume(f.id(), in);
            case PUT_BATCH -> batches.putBatch(f.id(), in);
            case COMMIT_BATCH -> batches.commitBatch(f.id(), in);
            default -> {
                return metadata.handle(f);
            }
        }
        return true;
    }

    /** The connection is gone. */
    void close() {
        receives.close();
    }
}
