package dev.duplex.remote.server;

import dev.duplex.remote.protocol.ErrorCode;
import dev.duplex.remote.protocol.Fields;
import dev.duplex.remote.protocol.Frame;
import dev.duplex.remote.protocol.FrameType;
import dev.duplex.remote.protocol.WireIn;
import dev.duplex.remote.protocol.WireOut;
import dev.duplex.tree.Entry;
import dev.duplex.tree.LocalTree;
import dev.duplex.tree.RelPath;
import dev.duplex.tree.RootFileSystem;
import dev.duplex.tree.Tree;
import dev.duplex.tree.WalkResult;
import dev.duplex.tree.WalkRules;
import dev.duplex.tree.WalkSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * The requests that read or change names and metadata: walk, stat, hash, empty-directory, file system, and the
 * name changes (links, small files, deletes, directories, times, abandoning a temp). Session thread.
 */
final class MetadataRequests {
    private final ModuleView view;
    private final LocalTree tree;
    private final Replies replies;
    private final boolean writable;

    MetadataRequests(ModuleView view, Replies replies, boolean writable) {
        this.view = view;
        this.tree = view.module().tree();
        this.replies = replies;
        this.writable = writable;
    }

    /** Handles a request of this kind; false when the frame is not one. */
    boolean handle(Frame f) throws IOException, InterruptedException {
        WireIn in = f.in();
        switch (f.type()) {
            case WALK -> walk(f.id(), in);
            case STAT -> {
                RelPath p = view.inModule(in.path());
                Tree.Detail detail = Fields.detail(in);
                in.end();
                Optional<Entry> e = tree.stat(p, detail);
                WireOut out = new WireOut().bool(e.isPresent());
                e.ifPresent(x -> out.entry(new Entry(view.forClient(x.path()), x.kind(), x.metadata(), x.linkTarget(),
                        false, false)));
                replies.send(FrameType.STAT_RESULT, f.id(), out.toBytes());
            }
            case HASH -> {
                RelPath p = view.inModule(in.path());
                var algo = Fields.algorithm(in);
                in.end();
                replies.send(FrameType.HASH_RESULT, f.id(), new WireOut().string(tree.hash(p, algo)).toBytes());
            }
            case EMPTY_DIR -> {
                RelPath p = view.inModule(in.path());
                in.end();
                replies.send(FrameType.BOOL, f.id(), new WireOut().bool(tree.isEmptyDirectory(p)).toBytes());
            }
            case FILE_SYSTEM -> {
                in.end();
                // for the client's mount guard, which compares it from run to run: what the file system is, but
                // not where the server keeps it (a digest of the device and mount point)
                RootFileSystem fs = tree.fileSystem();
                replies.send(FrameType.FILE_SYSTEM_RESULT, f.id(), new WireOut().string("fs-"
                        + opaque(fs.device() + "\n" + fs.mountPoint())).string(fs.type())
                        .string("<" + view.module().name() + ">").toBytes());
            }
            default -> {
                return change(f, in);
            }
        }
        return true;
    }

    private boolean change(Frame f, WireIn in) throws IOException {
        switch (f.type()) {
            case ABANDON -> {
                RelPath p = view.inModule(in.path());
                in.end();
                if (writable) {
                    tree.abandon(p);
                    view.module().temps().remove(p);
                }
                return true; // no answer: abandoning is best effort
            }
            case LINK_TEMP, WRITE_SMALL, DELETE, MKDIRS, SET_TIMES -> {
                if (!writable) {
                    replies.error(f.id(), ErrorCode.READ_ONLY, "module " + view.module().name() + " is read-only");
                    return true;
                }
            }
            default -> {
                return false;
            }
        }
        RelPath p = view.inModule(in.path());
        switch (f.type()) {
            case LINK_TEMP -> {
                String target = in.string();
                var modified = in.instant();
                in.end();
                tree.createLinkTemp(p, target, modified);
                view.module().temps().add(p);
                replies.ok(f.id());
            }
            case WRITE_SMALL -> {
                byte[] content = in.bytes();
                in.end();
                tree.writeSmallFile(p, content);
                replies.ok(f.id());
            }
            case DELETE -> {
                in.end();
                replies.send(FrameType.BOOL, f.id(), new WireOut().bool(tree.delete(p)).toBytes());
            }
            case MKDIRS -> {
                in.end();
                tree.makeDirectories(p);
                replies.ok(f.id());
            }
            default -> {
                var modified = in.instant();
                var accessed = in.instant();
                in.end();
                tree.setTimes(p, modified, accessed);
                replies.ok(f.id());
            }
        }
        return true;
    }

    /** Streams the walk's entries in batches, its warnings, then its end. */
    private void walk(int id, WireIn in) throws IOException, InterruptedException {
        RelPath from = view.inModule(in.path());
        WalkRules rules = Fields.walkRules(in);
        Tree.Detail detail = Fields.detail(in);
        in.end();
        WalkResult result;
        try {
            result = tree.walk(from, rules, detail, new WalkSink() {
                @Override
                public void entries(List<Entry> batch) {
                    WireOut out = new WireOut(batch.size() * 96).i32(batch.size());
                    for (Entry e : batch) {
                        out.entry(new Entry(view.forClient(e.path()), e.kind(), e.metadata(), e.linkTarget(),
                                e.excluded(), e.marked()));
                    }
                    sendQuietly(FrameType.ENTRIES, id, out.toBytes());
                }

                @Override
                public void warning(String message) {
                    sendQuietly(FrameType.WARNING, id, new WireOut().string(message.replace(
                            view.module().root().toString(), "<" + view.module().name() + ">")).toBytes());
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause(); // the connection is gone: the session ends
        }
        WireOut end = new WireOut();
        Fields.walkResult(end, result);
        replies.send(FrameType.WALK_END, id, end.toBytes());
    }

    private static String opaque(String s) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8))).substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    private void sendQuietly(FrameType type, int id, byte[] body) {
        try {
            replies.send(type, id, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
