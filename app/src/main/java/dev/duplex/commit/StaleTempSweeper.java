package dev.duplex.commit;

import dev.duplex.scan.StaleTemp;
import dev.duplex.tree.Roots;
import dev.duplex.tree.TempName;
import java.io.IOException;
import java.util.List;

/** Removes temp files left in the destinations by an interrupted run (found by the scan). */
public final class StaleTempSweeper {
    private StaleTempSweeper() {}

    /** Deletes each temp file; returns how many were removed. A temp that cannot be removed is left for later. */
    public static int sweep(List<StaleTemp> temps, Roots roots) {
        int removed = 0;
        for (StaleTemp t : temps) {
            if (!TempName.isTemp(t.path().name())) {
                throw new IllegalArgumentException("refusing to sweep '" + t.path() + "': not a duplex temp name");
            }
            try {
                if (roots.destination(t.destination()).delete(t.path())) {
                    removed++;
                }
            } catch (IOException ignored) {
                // still there next scan; never fatal
            }
        }
        return removed;
    }
}
