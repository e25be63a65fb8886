package dev.duplex.commit;

import dev.duplex.backlog.IsoTime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * {@code --ready-suffix}: the marker {@code NAME<SUFFIX>} beside a committed file, one JSON object with the file's
 * {@code size}, {@code mtime} (ISO-8601), {@code algo} and {@code hash}, written through a temp file and a rename so
 * that a reader never sees half of it. A downstream job that waits for the marker finds the whole file under its
 * final name, on every destination, with that content.
 */
public final class ReadyMarker {
    private ReadyMarker() {}

    public static Path markerFor(Path file, String suffix) {
        return file.resolveSibling(file.getFileName() + suffix);
    }

    /** Writes the marker of {@code file}; returns its path. */
    public static Path write(Path file, String suffix, long sizeBytes, Instant mtime, String algo, String hexHash)
            throws IOException {
        Path marker = markerFor(file, suffix);
        AtomicFile.write(marker, json(sizeBytes, mtime, algo, hexHash).getBytes(StandardCharsets.UTF_8));
        return marker;
    }

    /**
     * Removes the marker of an earlier version before a new one is renamed into place, so that a marker never
     * describes content its file no longer has.
     */
    public static void remove(Path file, String suffix) throws IOException {
        Files.deleteIfExists(markerFor(file, suffix));
    }

    static String json(long sizeBytes, Instant mtime, String algo, String hexHash) {
        // every value is a number, an ISO time, an algorithm name or hex: nothing to escape
        return "{\"size\":" + sizeBytes + ",\"mtime\":\"" + IsoTime.format(mtime) + "\",\"algo\":\"" + algo
                + "\",\"hash\":\"" + hexHash + "\"}\n";
    }
}
