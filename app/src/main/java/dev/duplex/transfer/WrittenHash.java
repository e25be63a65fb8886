package dev.duplex.transfer;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The hash of a mapped source file ({@link SourceAccess#MAP}), taken by the file's first destination writer from
 * the bytes it has just written: each written block is hashed from a read-only map of the writer's own temp file,
 * on a hashing thread, so writing the next block and hashing this one overlap. The source's maps are never read
 * by Java code: a source truncated under its map would make such a read fault (SIGBUS) at an unpredictable point,
 * while nobody else truncates our temp file. The recorded hash is therefore exactly that of the bytes committed.
 * Writer thread only.
 */
final class WrittenHash implements AutoCloseable {
    private final HashAlgorithm algorithm;
    private final BlockHasher thread = new BlockHasher();
    private FileChannel temp;
    private HashAlgorithm.FileHasher hasher;

    WrittenHash(HashAlgorithm algorithm) {
        this.algorithm = algorithm;
    }

    /** Hashes {@code length} bytes at {@code offset} of the temp file (written, in the page cache). */
    void add(Path tempPath, long offset, int length) throws IOException {
        if (temp == null) {
            temp = FileChannel.open(tempPath, StandardOpenOption.READ);
            hasher = algorithm.newHasher();
        }
        MappedByteBuffer map = temp.map(FileChannel.MapMode.READ_ONLY, offset, length);
        thread.update(hasher, SharedBuffer.mapped(map, () -> MappedBlocks.unmap(map), 1));
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
