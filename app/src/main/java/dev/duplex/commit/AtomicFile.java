package dev.duplex.commit;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a small file duplex makes itself (a sidecar, a marker) through its temp name and a rename, so that a
 * reader sees the old file or the whole new one, never half of it.
 */
final class AtomicFile {
    private AtomicFile() {}

    static void write(Path file, byte[] content) throws IOException {
        Path temp = TempName.forFinal(file);
        Files.write(temp, content);
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
