package dev.duplex.bisync;

import dev.duplex.backlog.ConflictRow;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The db rows of a conflict left unresolved ({@code skip}), as {@code duplex conflicts} lists them. */
final class UnresolvedRows {
    private UnresolvedRows() {
    }

    static List<ConflictRow> of(Action.Conflict c, Instant now) {
        if (c.rule() == ConflictRule.RENAMED) {         // listed under both new names: where the user finds them
            return List.of(new ConflictRow(c.leftPath(), c.rule().label(), c.left().map(Version::size),
                            c.left().map(Version::modified), Optional.empty(), Optional.empty(), now, now),
                    new ConflictRow(c.rightPath(), c.rule().label(), Optional.empty(), Optional.empty(),
                            c.right().map(Version::size), c.right().map(Version::modified), now, now));
        }
        return List.of(new ConflictRow(c.path(), c.rule().label(), c.left().map(Version::size),
                c.left().map(Version::modified), c.right().map(Version::size), c.right().map(Version::modified),
                now, now));
    }
}
