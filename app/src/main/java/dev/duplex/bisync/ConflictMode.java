package dev.duplex.bisync;

import java.util.Locale;

/** What a conflict rule does (contract: Conflict modes). */
public enum ConflictMode {
    /** The newer version keeps the name on both sides; the older is kept on both sides under a clash name. */
    KEEP_BOTH,
    /** The newer version overwrites the older, which goes to the trash by the soft delete rule. */
    NEWER,
    /** Neither side is touched; the conflict is reported until the sides agree. */
    SKIP;

    /** The option's spelling: {@code keep-both}, {@code newer}, {@code skip}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses the option's spelling. */
    public static ConflictMode parse(String text) {
        for (ConflictMode mode : values()) {
            if (mode.label().equals(text)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown conflict mode '" + text + "' (keep-both, newer, skip)");
    }
}
