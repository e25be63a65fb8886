package dev.duplex.backlog;

import dev.duplex.tree.RelPath;
import java.util.Optional;

/**
 * A two-way job's record of one path as both sides held it at the end of its last run, and what was last done to
 * it ({@code copy left->right}, {@code rename}, {@code record}, ...).
 */
public record PairRow(RelPath path, Optional<SideRow> left, Optional<SideRow> right, String lastAction) {
}
