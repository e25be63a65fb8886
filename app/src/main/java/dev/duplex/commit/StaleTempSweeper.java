package dev.duplex.commit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Removes temp files left in the destinations by an interrupted run (found by the scan). */
public final class StaleTempSweeper {
    private StaleTempSweeper() {}

    /** Deletes each temp file; returns how many were removed. A temp that cannot be removed is left for later. */
    public static int sweep(List<Path> temps) {
        int removed = 0;
        for (Path t : temps) {
            if (!TempName.isTemp(t.getFileName().toString())) {
                throw new IllegalArgumentException("refusing to sweep '" + t + "': not a duplex temp name");
            }
            try {
                if (Files.deleteIfExists(t)) {
                    removed++;
                }
            } catch (IOException ignored) {
                // still there next scan; never fatal
            }
        }
        return removed;
    }
}
