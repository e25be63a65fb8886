package dev.duplex.remote;

import dev.duplex.digest.HashAlgorithm;
import dev.duplex.remote.protocol.Frame;
import dev.duplex.remote.protocol.FrameType;
import dev.duplex.remote.protocol.WireIn;
import dev.duplex.remote.protocol.WireOut;
import dev.duplex.tree.FileMetadata;
import dev.duplex.tree.RelPath;
import dev.duplex.tree.SourceFile;
import dev.duplex.tree.Tree;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;

/**
 * A file on a daemon open for reading: the daemon streams it (its metadata, its bytes in data frames, then the hash
 * of the whole file and its metadata after the read) and this hands the bytes out as they come. When the
 * connection drops, the read goes on from the bytes received on a new connection (the daemon hashes the part
 * before, so the hash is still of the whole file), provided the file is still the version first opened. Given up
 * before its end, the connection is dropped so the daemon stops sending. One thread.
 */
final class RemoteSourceFile implements SourceFile {
    private final Channels channels;
    private final RelPath path;
    private final Tree.Detail detail;
    private final HashAlgorithm algorithm;
    private final int chunkBytes;
    private final String name;
    private Connection connection;
    private BlockingQueue<Frame> frames;
    private FileMetadata metadata;
    private ByteBuffer chunk = ByteBuffer.allocate(0);
    private long received;
    private boolean ended;
    private Optional<FileMetadata> after = Optional.empty();
    private Optional<String> sentHash = Optional.empty();

    private RemoteSourceFile(Channels channels, RelPath path, Tree.Detail detail, HashAlgorithm algorithm,
                             int chunkBytes, String name) {
        this.channels = channels;
        this.path = path;
        this.detail = detail;
        this.algorithm = algorithm;
        this.chunkBytes = chunkBytes;
        this.name = name;
    }

    /** Opens the file on the daemon (on this thread's connection); its metadata has come when this returns. */
    static RemoteSourceFile open(Channels channels, RelPath path, Tree.Detail detail, HashAlgorithm algorithm,
                                 int chunkBytes, String name) throws IOException {
        RemoteSourceFile f = new RemoteSourceFile(channels, path, detail, algorithm, chunkBytes, name);
        try {
            channels.withRetries("opening " + name, () -> {
                f.request(channels.forThisThread(), 0);
                return null;
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            channels.dropThisThread();
            throw new InterruptedIOException("interrupted while opening " + name);
        }
        return f;
    }

    /** Sends READ from {@code offset} and takes its first answer, the metadata. */
    private void request(Connection c, long offset) throws IOException, InterruptedException {
        connection = c;
        int id = c.nextId();
        frames = c.stream(id, FrameType.READ_END);
        c.send(FrameType.READ, id, new WireOut().path(path).u8(detail.ordinal()).string(algorithm.cliName())
                .i64(offset).i32(chunkBytes).toBytes());
        c.flush();
        Frame first = frames.take();
        if (first == Connection.LOST) {
            throw c.failure();
        }
        Connection.answer(first, name);
        if (first.type() != FrameType.READ_META) {
            channels.dropThisThread();
            throw new IOException("the daemon answered " + first.type() + " to a read of " + name);
        }
        FileMetadata now = first.in().metadata();
        if (metadata != null && !now.sameVersionAs(metadata)) {
            throw new IOException(name + " changed while it was being read (seen again after a dropped "
                    + "connection)");
        }
        metadata = now;
    }

    @Override
    public FileMetadata metadata() {
        return metadata;
    }

    /**
     * Under a bandwidth limit (a small receive buffer): the daemon sends ahead what the socket buffers hold (the
     * kernel doubles the asked size, on both ends) and the frames the stream queues, at most the file.
     */
    @Override
    public long prefetchBytes() {
        int buffer = channels.receiveBufferBytes();
        if (buffer <= 0) {
            return 0;
        }
        long ahead = 4L * buffer + (long) Connection.STREAM_AHEAD_LIMITED * chunkBytes;
        return Math.min(ahead, Math.max(0, metadata.sizeBytes() - received));
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        while (!chunk.hasRemaining()) {
            if (ended) {
                return -1;
            }
            next();
        }
        int n = Math.min(dst.remaining(), chunk.remaining());
        ByteBuffer part = chunk.duplicate();
        part.limit(part.position() + n);
        dst.put(part);
        chunk.position(chunk.position() + n);
        received += n;
        return n;
    }

    private void next() throws IOException {
        Frame f;
        try {
            f = frames.take();
            if (f == Connection.LOST) {
                resume(connection.failure());
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading " + name);
        }
        Connection.answer(f, name);
        WireIn in = f.in();
        if (f.type() == FrameType.DATA) {
            chunk = ByteBuffer.wrap(in.bytes());
        } else if (f.type() == FrameType.READ_END) {
            sentHash = Optional.of(in.string());
            after = in.bool() ? Optional.of(in.metadata()) : Optional.empty();
            ended = true;
        } else {
            throw new IOException("the daemon sent " + f.type() + " while sending " + name);
        }
    }

    /** Goes on from the bytes handed out so far, on a new connection. */
    private void resume(IOException lost) throws IOException, InterruptedException {
        chunk = ByteBuffer.allocate(0);
        boolean[] first = {true};
        channels.withRetries("reading " + name, () -> {
            if (first[0]) {
                first[0] = false;
                throw lost; // counts as the first failure: wait before the first retry
            }
            request(channels.replaceThisThread(), received);
            return null;
        });
    }

    /** The metadata after the read, as the daemon saw it when it had sent the last byte. */
    @Override
    public Optional<FileMetadata> metadataNow() throws IOException {
        while (!ended) {
            chunk = ByteBuffer.allocate(0);
            next();
        }
        return after;
    }

    @Override
    public Optional<String> sourceHash() {
        return sentHash;
    }

    @Override
    public Optional<FileChannel> channel() {
        return Optional.empty();
    }

    @Override
    public void close() {
        if (!ended) {
            channels.dropThisThread(); // the daemon is still sending: stop it
        }
    }
}
