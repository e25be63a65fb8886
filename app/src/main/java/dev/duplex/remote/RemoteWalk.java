package dev.duplex.remote;

import dev.duplex.remote.protocol.Fields;
import dev.duplex.remote.protocol.Frame;
import dev.duplex.remote.protocol.FrameType;
import dev.duplex.remote.protocol.WireIn;
import dev.duplex.remote.protocol.WireOut;
import dev.duplex.tree.Entry;
import dev.duplex.tree.RelPath;
import dev.duplex.tree.RelativePathOrder;
import dev.duplex.tree.Tree;
import dev.duplex.tree.WalkResult;
import dev.duplex.tree.WalkRules;
import dev.duplex.tree.WalkSink;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;

/**
 * A walk on the daemon, on a connection of its own: the daemon walks the module (with the run's filters, so an
 * excluded directory is not walked there either) and streams the entries in batches, with its warnings, then the
 * walk's result. A walk whose connection drops is walked again from the start on a new one, and the entries up to
 * the last one handed on are dropped (the walk's order is fixed: pre-order, names sorted).
 */
final class RemoteWalk {
    private final Channels channels;
    private final Endpoint endpoint;
    private String last;

    RemoteWalk(Channels channels, Endpoint endpoint) {
        this.channels = channels;
        this.endpoint = endpoint;
    }

    WalkResult walk(RelPath from, WalkRules rules, Tree.Detail detail, WalkSink sink)
            throws IOException, InterruptedException {
        return channels.withRetries("walking " + endpoint, () -> walkOnce(from, rules, detail, sink));
    }

    private WalkResult walkOnce(RelPath from, WalkRules rules, Tree.Detail detail, WalkSink sink)
            throws IOException, InterruptedException {
        Connection c = channels.single();
        try {
            int id = c.nextId();
            BlockingQueue<Frame> frames = c.stream(id, FrameType.WALK_END);
            WireOut body = new WireOut().path(from);
            Fields.walkRules(body, rules);
            c.send(FrameType.WALK, id, body.u8(detail.ordinal()).toBytes());
            c.flush();
            String resumeAfter = last;
            while (true) {
                Frame f = frames.take();
                if (f == Connection.LOST) {
                    throw c.failure();
                }
                Connection.answer(f, endpoint.toString());
                WireIn in = f.in();
                switch (f.type()) {
                    case ENTRIES -> {
                        int n = in.i32();
                        List<Entry> batch = new ArrayList<>(Math.max(0, Math.min(n, 10_000)));
                        for (int i = 0; i < n; i++) {
                            Entry e = in.entry();
                            if (resumeAfter == null
                                    || RelativePathOrder.INSTANCE.compare(e.path().toString(), resumeAfter) > 0) {
                                batch.add(e);
                            }
                        }
                        if (!batch.isEmpty()) {
                            sink.entries(batch);
                            last = batch.get(batch.size() - 1).path().toString();
                        }
                    }
                    case WARNING -> sink.warning(endpoint.server() + ": " + in.string());
                    case WALK_END -> {
                        return Fields.walkResult(in);
                    }
                    default -> throw new IOException("the daemon sent " + f.type() + " during a walk");
                }
            }
        } finally {
            channels.release(c);
        }
    }
}
