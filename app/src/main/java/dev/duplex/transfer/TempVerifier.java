package dev.duplex.transfer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** {@code --verify}: re-reads a written temp file and hashes it, to compare with the hash streamed from the source. */
final class TempVerifier {
    private static final int BUFFER_BYTES = 1024 * 1024;

    private TempVerifier() {}

    static String hash(Path file, HashAlgorithm algorithm) throws IOException {
        HashAlgorithm.FileHasher hasher = algorithm.newHasher();
        ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (ch.read(buffer) >= 0) {
                buffer.flip();
                hasher.update(buffer);
                buffer.clear();
            }
        }
        return hasher.finishHex();
    }
}
