package dev.duplex.remote;

import dev.duplex.digest.HashAlgorithm;
import dev.duplex.remote.protocol.Fields;
import dev.duplex.remote.protocol.Frame;
import dev.duplex.remote.protocol.FrameIO;
import dev.duplex.remote.protocol.FrameType;
import dev.duplex.remote.protocol.WireIn;
import dev.duplex.remote.protocol.WireOut;
import dev.duplex.tree.Entry;
import dev.duplex.tree.RelPath;
import dev.duplex.tree.RootFileSystem;
import dev.duplex.tree.SourceFile;
import dev.duplex.tree.TempFile;
import dev.duplex.tree.Tree;
import dev.duplex.tree.WalkResult;
import dev.duplex.tree.WalkRules;
import dev.duplex.tree.WalkSink;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A module of a duplex daemon (or a path inside one) as a {@link Tree}: every operation is a request to the
 * daemon, which serves it from a tree confined to the module. Not chatty: walks stream, file content goes without
 * a round trip per block, small files and commits travel in batches. Thread-safe: each thread that moves content
 * has a connection of its own.
 */
public final class RemoteTree implements Tree {
    /** Ends the short wait of a batch for more items to join it; shared by every remote tree. */
    private static final ScheduledExecutorService LINGER = java.util.concurrent.Executors
            .newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "duplex-batch-linger");
                t.setDaemon(true);
                return t;
            });
    private final Endpoint endpoint;
    private final Channels channels;
    private final HashAlgorithm algorithm;
    private final ScheduledExecutorService timer;
    private final Requests requests;
    private final ThreadLocal<Batcher> puts = new ThreadLocal<>();
    private final java.util.Map<RelPath, Long> finishedSizes = new java.util.concurrent.ConcurrentHashMap<>();
    private final int smallFileBytes;
    private final int readChunkBytes;
    private Batcher commits;

    private RemoteTree(Endpoint endpoint, Channels channels, HashAlgorithm algorithm, ScheduledExecutorService timer,
                       int smallFileBytes) {
        this.endpoint = endpoint;
        this.channels = channels;
        this.algorithm = algorithm;
        this.timer = timer;
        this.smallFileBytes = smallFileBytes;
        this.requests = new Requests(channels, endpoint);
        // under a bandwidth limit (a small receive buffer) the daemon sends small frames, so none is a burst
        int buffer = channels.receiveBufferBytes();
        this.readChunkBytes = buffer > 0 ? Math.max(4 * 1024, Math.min(FrameIO.DATA_CHUNK, buffer))
                : FrameIO.DATA_CHUNK;
    }

    /**
     * Connects (the handshake checks the token, the module and, for a destination, that it may be written).
     *
     * @param write a destination: the module must not be read-only
     * @throws RefusedException when the daemon refuses; IOException when it cannot be reached
     */
    public static RemoteTree connect(Endpoint endpoint, ClientOptions options, boolean write, HashAlgorithm algorithm)
            throws IOException {
        Channels channels = new Channels(endpoint, options, write);
        RemoteTree tree = new RemoteTree(endpoint, channels, algorithm, LINGER, options.smallFileBytes());
        channels.control();
        return tree;
    }

    int smallFileBytes() {
        return smallFileBytes;
    }

    /** The client's path as the daemon takes it (relative to the endpoint's path in the module). */
    RelPath inTree(RelPath path) {
        return path;
    }

    @Override
    public String root() {
        return endpoint.toString();
    }

    @Override
    public String nameOf(RelPath path) {
        return path.isRoot() ? root() : root() + "/" + path;
    }

    @Override
    public RelPath relativize(String name) {
        String r = root();
        if (name.equals(r)) {
            return RelPath.ROOT;
        }
        if (!name.startsWith(r + "/")) {
            throw new IllegalArgumentException("'" + name + "' is not under " + r);
        }
        return RelPath.of(name.substring(r.length() + 1));
    }

    @Override
    public Optional<Path> localPath(RelPath path) {
        return Optional.empty();
    }

    @Override
    public boolean isLocalDisk() {
        return false;
    }

    @Override
    public RootFileSystem fileSystem() throws IOException {
        WireIn in = requests.call(FrameType.FILE_SYSTEM, new byte[0], root()).in();
        return new RootFileSystem(in.string(), in.string(), in.string());
    }

    @Override
    public WalkResult walk(WalkRules rules, Detail detail, WalkSink sink) throws IOException, InterruptedException {
        return walk(RelPath.ROOT, rules, detail, sink);
    }

    @Override
    public WalkResult walk(RelPath from, WalkRules rules, Detail detail, WalkSink sink)
            throws IOException, InterruptedException {
        return new RemoteWalk(channels, endpoint).walk(from, rules, detail, sink);
    }

    @Override
    public boolean isEmptyDirectory(RelPath path) throws IOException {
        return requests.call(FrameType.EMPTY_DIR, new WireOut().path(path).toBytes(), nameOf(path)).in().bool();
    }

    @Override
    public Optional<Entry> stat(RelPath path, Detail detail) throws IOException {
        WireIn in = requests.call(FrameType.STAT, new WireOut().path(path).u8(detail.ordinal()).toBytes(),
                nameOf(path)).in();
        return in.bool() ? Optional.of(in.entry()) : Optional.empty();
    }

    @Override
    public SourceFile openRead(RelPath path, Detail detail) throws IOException {
        return RemoteSourceFile.open(channels, path, detail, algorithm, readChunkBytes, nameOf(path));
    }

    @Override
    public String hash(RelPath path, HashAlgorithm algo) throws IOException {
        return requests.call(FrameType.HASH, new WireOut().path(path).string(algo.cliName()).toBytes(), nameOf(path))
                .in().string();
    }

    @Override
    public TempFile createTemp(RelPath finalPath) {
        return new RemoteTempFile(this, finalPath, algorithm);
    }

    /** This thread's connection for file content. */
    Connection dataConnection() throws IOException {
        return channels.forThisThread();
    }

    Channels channels() {
        return channels;
    }

    void releaseConnection(Connection c) {
        channels.release(c);
    }

    /** A temp file is being finished with this size: its commit, if sent again, checks it. */
    void finishing(RelPath finalPath, long size) {
        finishedSizes.put(finalPath, size);
    }

    /** A small file, whole, into this thread's batch. */
    CompletableFuture<Void> putSmall(RelPath path, byte[] content, TempFile.Finish spec) throws IOException {
        Connection c = channels.forThisThread();
        Batcher b = puts.get();
        if (b == null || b.connection() != c) {
            b = new Batcher(FrameType.PUT_BATCH, c, channels, timer, 256, 1 << 20, 2);
            puts.set(b);
        }
        String name = nameOf(path);
        finishedSizes.put(path, (long) content.length);
        return b.add(new Batcher.Item() {
            @Override
            public void encode(WireOut out) {
                out.path(path).bytes(content);
                Fields.finish(out, spec);
            }

            @Override
            public String name() {
                return name;
            }
        }, content.length + 128);
    }

    @Override
    public void createLinkTemp(RelPath finalPath, String target, Instant modified) throws IOException {
        requests.call(FrameType.LINK_TEMP, new WireOut().path(finalPath).string(target).instant(modified).toBytes(),
                nameOf(finalPath));
    }

    @Override
    public synchronized CompletableFuture<Void> commit(RelPath finalPath) {
        try {
            Connection c = channels.control();
            if (commits == null || commits.connection() != c) {
                commits = new Batcher(FrameType.COMMIT_BATCH, c, channels, timer, 512, 64 * 1024, 2);
            }
            String name = nameOf(finalPath);
            long size = finishedSizes.getOrDefault(finalPath, -1L);
            finishedSizes.remove(finalPath);
            return commits.add(new Batcher.Item() {
                @Override
                public void encode(WireOut out) {
                    out.path(finalPath).i64(size);
                }

                @Override
                public String name() {
                    return name;
                }
            }, finalPath.toString().length() + 16);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void abandon(RelPath finalPath) {
        try {
            Connection c = channels.control();
            c.send(FrameType.ABANDON, c.nextId(), new WireOut().path(finalPath).toBytes());
            c.flush();
        } catch (IOException ignored) {
            // the daemon's next sweep, or the next run's scan, removes it
        }
    }

    @Override
    public void writeSmallFile(RelPath path, byte[] content) throws IOException {
        requests.call(FrameType.WRITE_SMALL, new WireOut().path(path).bytes(content).toBytes(), nameOf(path));
    }

    @Override
    public boolean delete(RelPath path) throws IOException {
        return requests.call(FrameType.DELETE, new WireOut().path(path).toBytes(), nameOf(path)).in().bool();
    }

    @Override
    public void makeDirectories(RelPath path) throws IOException {
        requests.call(FrameType.MKDIRS, new WireOut().path(path).toBytes(), nameOf(path));
    }

    @Override
    public void setTimes(RelPath path, Instant modified, Instant accessed) throws IOException {
        requests.call(FrameType.SET_TIMES, new WireOut().path(path).instant(modified).instant(accessed).toBytes(),
                nameOf(path));
    }

    /** MKDIRS and SET_TIMES sent at once, not waited for: many directories are under way at once. */
    @Override
    public CompletableFuture<Void> finishDirectory(RelPath path, Instant modified, Instant accessed) {
        String name = nameOf(path);
        byte[] mkdirs = new WireOut().path(path).toBytes();
        byte[] times = new WireOut().path(path).instant(modified).instant(accessed).toBytes();
        try {
            Connection c = channels.control();
            int first = c.nextId();
            int second = c.nextId();
            CompletableFuture<Frame> made = c.expect(first);
            CompletableFuture<Frame> stamped = c.expect(second);
            c.send(FrameType.MKDIRS, first, mkdirs);
            c.send(FrameType.SET_TIMES, second, times);
            c.flush();
            return made.thenCombine(stamped, (a, b) -> {
                try {
                    Connection.answer(a, name);
                    Connection.answer(b, name);
                    return (Void) null;
                } catch (IOException e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            }).exceptionallyCompose(e -> ConnectionLostException.is(e)
                    ? CompletableFuture.runAsync(() -> again(path, modified, accessed), Resume.RECOVERY)
                    : CompletableFuture.failedFuture(e));
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The same, one request after the other with the usual retries (the connection dropped). */
    private void again(RelPath path, Instant modified, Instant accessed) {
        try {
            makeDirectories(path);
            setTimes(path, modified, accessed);
        } catch (IOException e) {
            throw new java.util.concurrent.CompletionException(e);
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (commits != null) {
                commits.sendNow();
            }
        }
        channels.close();
    }

    @Override
    public String toString() {
        return root();
    }
}
