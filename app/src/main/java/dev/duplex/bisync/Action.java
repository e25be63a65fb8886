package dev.duplex.bisync;

import dev.duplex.tree.RelPath;
import java.time.Instant;
import java.util.Optional;

/**
 * One thing a two-way run does, as the {@link Reconciler} decides it. An executor carries them out in the order of
 * {@link Plan#actions()} and records the result; none of these types does I/O.
 */
public sealed interface Action {
    /** The path the action is about (for a rename, where the entry is before it). */
    RelPath path();

    /**
     * Copy {@code version} of {@code path} from side {@code from} to the same path on the other side, through a temp
     * name. {@code replaced} is what the other side holds there now (it goes to the trash by the soft delete rule, so
     * no version is lost); {@code alwaysTrash}: it goes to the trash whatever its size (a first run's loser).
     */
    record Copy(Side from, RelPath path, Version version, Optional<Version> replaced, boolean alwaysTrash)
            implements Action {
        public Side to() {
            return from.other();
        }
    }

    /** Rename {@code path} to {@code to} on side {@code on}; no data is copied (the file keeps its identity). */
    record Rename(Side on, RelPath path, RelPath to) implements Action {
    }

    /** Delete {@code path} on side {@code on}: a file by the soft delete rule, a directory once it is empty. */
    record Delete(Side on, RelPath path, Version version) implements Action {
    }

    /** Create the directory {@code path} on side {@code on}, replacing {@code replaced} (to the trash) if any. */
    record MakeDirectory(Side on, RelPath path, Optional<Version> replaced) implements Action {
    }

    /** Apply {@code modified} to the file at {@code path} on side {@code on}: an mtime-only change, no data copied. */
    record SetTime(Side on, RelPath path, Instant modified) implements Action {
    }

    /** Both sides hold the same content already: record them as they are now. */
    record Record(RelPath path, Version left, Version right) implements Action {
    }

    /** Neither side has the path any more: drop its record. */
    record Forget(RelPath path) implements Action {
    }

    /**
     * A conflict by {@code rule}, handled by {@code mode} (the actions that resolve it are in the plan beside it;
     * with {@code skip} there are none). {@code newer}: the side whose version is newer (on a tie LEFT); {@code
     * clash}: the name the older version is kept under; {@code leftPath}/{@code rightPath}: where each side's
     * version is (different only for {@code renamed}).
     */
    record Conflict(ConflictRule rule, ConflictMode mode, RelPath path, Optional<Version> left,
                    Optional<Version> right, Side newer, Optional<RelPath> clash, RelPath leftPath,
                    RelPath rightPath) implements Action {
    }

    /** The decision needs the content hash of the file at {@code path} on side {@code side}. */
    record NeedHash(Side side, RelPath path) implements Action {
    }
}
