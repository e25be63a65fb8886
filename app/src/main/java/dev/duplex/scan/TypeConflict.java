package dev.duplex.scan;

import java.nio.file.Path;

/**
 * A destination entry of another kind where the source has a file, symlink or directory (a file replaced by a
 * directory of the same name, or the other way round): it must go before the source entry can be written there.
 *
 * @param destIsDirectory the destination has a directory where the source has a file or symlink; otherwise it has
 *     a file (or symlink, or special file) where the source has a directory
 */
public record TypeConflict(Path destPath, Path sourcePath, boolean destIsDirectory) {}
