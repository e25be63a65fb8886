package dev.duplex.tree;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A temp file being written, the future content of its final path: blocks are appended, then it is finished
 * (flushed, verified, its times applied) and later committed by its tree, or abandoned. One thread at a time.
 */
public interface TempFile {
    /** The final path it will become. */
    RelPath finalPath();

    /** Appends all of {@code data}. Need not wait for the bytes to reach a remote tree. */
    void write(ByteBuffer data) throws IOException;

    /** Pushes what was written so far towards storage (a paced flush under a bandwidth limit). */
    void flush() throws IOException;

    /** The temp file on this machine, for a local tree (hashing what was written from it). */
    Optional<Path> localPath();

    /**
     * Completes the temp: flushed to stable storage with {@code fsync}, compared with the sender's hash (a remote
     * tree always hashes what it received; with {@code reread} the file is read back from storage and hashed), and
     * stamped with the source's times. The future completes when that is done and fails with the reason otherwise
     * (the temp file is then gone).
     */
    CompletableFuture<Void> finish(Finish spec);

    /** Gives up the temp file (closes and deletes it); never throws. */
    void abandon();

    /**
     * How a temp is finished.
     *
     * @param source the source's metadata: its times are applied
     * @param algorithm and {@code hash}: the sender's hash of the content, when known
     */
    record Finish(FileMetadata source, boolean fsync, boolean reread, dev.duplex.digest.HashAlgorithm algorithm,
                  Optional<String> hash) {}
}
