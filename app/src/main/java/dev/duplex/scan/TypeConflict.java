package dev.duplex.scan;

import dev.duplex.tree.RelPath;

/**
 * A destination entry of another kind where the source has a file, symlink or directory (a file replaced by a
 * directory of the same name, or the other way round): it must go before the source entry can be written there.
 *
 * @param destination which destination has it
 * @param destIsDirectory the destination has a directory where the source has a file or symlink; otherwise it has
 *     a file (or symlink, or special file) where the source has a directory
 */
public record TypeConflict(int destination, RelPath path, boolean destIsDirectory) {}
