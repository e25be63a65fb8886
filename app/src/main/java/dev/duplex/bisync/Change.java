package dev.duplex.bisync;

import java.util.Optional;

/** What happened to a path on one side since the last run: the columns of the contract's decision table. */
enum Change {
    /** Not there now and not recorded. */
    ABSENT,
    /** There, with the recorded type, size and mtime. */
    UNCHANGED,
    /** There, but not as recorded. */
    CHANGED,
    /** There now, not recorded. */
    CREATED,
    /** Recorded, not there now. */
    DELETED;

    static Change of(Optional<Version> recorded, Optional<Version> now) {
        if (recorded.isEmpty()) {
            return now.isEmpty() ? ABSENT : CREATED;
        }
        if (now.isEmpty()) {
            return DELETED;
        }
        return now.get().unchangedSince(recorded.get()) ? UNCHANGED : CHANGED;
    }

    /** Changed or created: the side has something new to carry over. */
    boolean isNew() {
        return this == CHANGED || this == CREATED;
    }
}
