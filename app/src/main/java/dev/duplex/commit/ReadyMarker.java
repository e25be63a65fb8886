package dev.duplex.commit;

import dev.duplex.backlog.IsoTime;
import dev.duplex.tree.RelPath;
import java.time.Instant;

/**
 * {@code --ready-suffix}: the marker {@code NAME<SUFFIX>} beside a committed file, one JSON object with the file's
 * {@code size}, {@code mtime} (ISO-8601), {@code algo} and {@code hash}, written through a temp file and a rename so
 * that a reader never sees half of it. A downstream job that waits for the marker finds the whole file under its
 * final name, on every destination, with that content.
 */
public final class ReadyMarker {
    private ReadyMarker() {}

    public static RelPath markerFor(RelPath file, String suffix) {
        return file.sibling(file.name() + suffix);
    }

    static String json(long sizeBytes, Instant mtime, String algo, String hexHash) {
        // every value is a number, an ISO time, an algorithm name or hex: nothing to escape
        return "{\"size\":" + sizeBytes + ",\"mtime\":\"" + IsoTime.format(mtime) + "\",\"algo\":\"" + algo
                + "\",\"hash\":\"" + hexHash + "\"}\n";
    }
}
