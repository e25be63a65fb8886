package dev.duplex.bisync;

import java.time.ZoneId;
import java.util.Objects;

/**
 * The choices a reconcile takes from the command line.
 *
 * @param firstRun the job has no recorded state: nothing is deleted, and a {@code newer} loser goes to the trash
 *     whatever its size
 * @param zone the time zone clash names are written in
 */
public record ReconcileOptions(ConflictMode changed, ConflictMode created, ConflictMode renamed, boolean firstRun,
                               ZoneId zone) {
    public ReconcileOptions {
        Objects.requireNonNull(changed);
        Objects.requireNonNull(created);
        Objects.requireNonNull(renamed);
        Objects.requireNonNull(zone);
        if (created == ConflictMode.SKIP) {
            throw new IllegalArgumentException("--conflict-created is keep-both or newer");
        }
    }

    public static ReconcileOptions defaults(ZoneId zone) {
        return new ReconcileOptions(ConflictMode.KEEP_BOTH, ConflictMode.KEEP_BOTH, ConflictMode.KEEP_BOTH, false,
                zone);
    }

    public ConflictMode modeOf(ConflictRule rule) {
        return switch (rule) {
            case CHANGED -> changed;
            case CREATED -> created;
            case RENAMED -> renamed;
        };
    }
}
