package dev.duplex.tree;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Optional;

/** A regular file open for reading, front to back. One thread at a time. */
public interface SourceFile extends AutoCloseable {
    /** The file's metadata when it was opened. */
    FileMetadata metadata();

    /** Reads into {@code dst}; the number of bytes read, -1 at the end. */
    int read(ByteBuffer dst) throws IOException;

    /**
     * The metadata now (after reading: has the file moved while it was read?); empty when it is gone or no longer
     * a regular file.
     */
    Optional<FileMetadata> metadataNow() throws IOException;

    /**
     * The hash of the bytes the source side read and sent, when it computed one (a remote tree, once the whole file
     * was read): the receiving side compares it with its own.
     */
    default Optional<String> sourceHash() {
        return Optional.empty();
    }

    /**
     * How many bytes the source sends ahead of the reads once the file is open (a remote file under a bandwidth
     * limit: its socket buffer and the frames queued for it); 0 for a file read only as it is asked.
     */
    default long prefetchBytes() {
        return 0;
    }

    /** The channel of a local file (memory maps, positional reads); empty for a remote one. */
    Optional<FileChannel> channel();

    @Override
    void close() throws IOException;
}
