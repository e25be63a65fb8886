package dev.duplex.backlog;

import dev.duplex.tree.EntryKind;
import java.time.Instant;
import java.util.Optional;

/** What a two-way job recorded for one side of one path: type, size, mtime, hash, file identity, link target. */
public record SideRow(EntryKind kind, long size, Instant modified, Optional<String> hash, Optional<String> fileId,
                      Optional<String> linkTarget) {
}
