package dev.duplex.backlog;

import dev.duplex.tree.RelPath;
import java.time.Instant;
import java.util.Optional;

/** An unresolved two-way conflict ({@code skip} mode), as {@code duplex conflicts} lists it. */
public record ConflictRow(RelPath path, String rule, Optional<Long> leftSize, Optional<Instant> leftModified,
                          Optional<Long> rightSize, Optional<Instant> rightModified, Instant firstSeen,
                          Instant lastSeen) {
}
