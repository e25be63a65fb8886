package dev.duplex.bisync;

import java.util.Locale;

/** Which row of the decision table made a conflict: the audit log's {@code rule}. */
public enum ConflictRule {
    /** Changed on both sides since the last run, with different content. */
    CHANGED,
    /** Created on both sides (or present on both at the first run) with different content. */
    CREATED,
    /** The same file renamed differently on each side. */
    RENAMED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
