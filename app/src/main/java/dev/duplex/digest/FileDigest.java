package dev.duplex.digest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Hashes a whole file: {@code --verify} re-reads written temp files with it, and crash recovery checks the temp and
 * final files of a prepared commit.
 */
public final class FileDigest {
    public static final int BUFFER_BYTES = 1024 * 1024;

    private FileDigest() {}

    /** The hash of the regular file at {@code file}; a symlink there is not followed (the open fails). */
    public static String hash(Path file, HashAlgorithm algorithm) throws IOException {
        HashAlgorithm.FileHasher hasher = algorithm.newHasher();
        ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            while (ch.read(buffer) >= 0) {
                buffer.flip();
                hasher.update(buffer);
                buffer.clear();
            }
        }
        return hasher.finishHex();
    }
}
