package dev.duplex.transfer;

import dev.duplex.digest.HashAlgorithm;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The hash of a mapped source file ({@link SourceAccess#MAP}), taken by the file's first destination writer from
 * the bytes it has just written to its temp file, on a hashing thread, so writing the next block and hashing this
 * one overlap. The source's maps are never read by Java code: a source truncated under its map would make such a
 * read fault (SIGBUS) at an unpredictable point. On a local file system the temp file's blocks are hashed from
 * read-only maps of it (nobody else truncates it; no copy); elsewhere (a share, where a map can fail or fault when
 * the server goes away) they are read back from the page cache into a buffer. The recorded hash is therefore
 * exactly that of the bytes committed. At most {@link #IN_FLIGHT} blocks wait for the hashing thread. Writer
 * thread only.
 */
final class WrittenHash implements AutoCloseable {
    static final int IN_FLIGHT = 4;
    private final HashAlgorithm algorithm;
    private final BlockHasher thread = new BlockHasher();
    private Boolean mapTemp;
    private ByteBuffer readBack;
    private FileChannel temp;
    private HashAlgorithm.FileHasher hasher;
    private int pending;

    WrittenHash(HashAlgorithm algorithm) {
        this.algorithm = algorithm;
    }

    /** With the way of hashing fixed: {@code mapTemp} true maps the temp file, false reads it back. */
    WrittenHash(HashAlgorithm algorithm, boolean mapTemp) {
        this.algorithm = algorithm;
        this.mapTemp = mapTemp;
    }

    /** Hashes {@code length} bytes at {@code offset} of the temp file (just written). */
    void add(Path tempPath, long offset, int length) throws IOException, InterruptedException {
        if (temp == null) {
            temp = FileChannel.open(tempPath, StandardOpenOption.READ);
            hasher = algorithm.newHasher();
            if (mapTemp == null) {
                mapTemp = SourceAccess.isLocal(tempPath); // one destination per writer: decided once
            }
        }
        if (pending >= IN_FLIGHT) {
            thread.await();
            pending = 0;
        }
        if (mapTemp) {
            MappedByteBuffer map = temp.map(FileChannel.MapMode.READ_ONLY, offset, length);
            thread.update(hasher, SharedBuffer.mapped(map, () -> MappedBlocks.unmap(map), 1));
            pending++;
            return;
        }
        thread.await(); // one read-back buffer: the previous block is hashed before it is reused
        pending = 0;
        if (readBack == null || readBack.capacity() < length) {
            readBack = ByteBuffer.allocateDirect(length);
        }
        readBack.clear().limit(length);
        while (readBack.hasRemaining()) {
            if (temp.read(readBack, offset + readBack.position()) < 0) {
                throw new IOException("the temp file " + tempPath + " is shorter than what was written to it");
            }
        }
        readBack.flip();
        hasher.update(readBack);
    }

    /** The hash of every block added since the last finish or discard. */
    String finish() throws InterruptedException, IOException {
        if (hasher == null) {
            throw new IOException("no block of this mapped file was hashed");
        }
        thread.await();
        String hex = hasher.finishHex();
        discard();
        return hex;
    }

    /** Drops the file in progress, if any, once the blocks handed to the hashing thread are released. */
    void discard() {
        try {
            thread.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // the file is dropped; its hash does not matter
        }
        pending = 0;
        if (temp != null) {
            try {
                temp.close();
            } catch (IOException ignored) {
                // read-only view of a file being dropped or already complete
            }
        }
        temp = null;
        hasher = null;
    }

    @Override
    public void close() {
        discard();
        thread.close();
    }
}
