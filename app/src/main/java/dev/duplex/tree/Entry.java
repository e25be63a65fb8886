package dev.duplex.tree;

import java.util.Optional;

/**
 * One entry of a tree, as a walk or a stat finds it.
 *
 * @param path where it is, relative to the tree's root
 * @param metadata for directories only the times are meaningful; a destination walk reads size, mtime and kind
 * @param linkTarget a symlink's target text (never followed); empty for anything else
 * @param excluded the filters leave it out (a source file outside the size bounds, which the source still has; a
 *     source entry the rules exclude, reported so that its companions in a destination are known; or, in a
 *     destination walked for {@code --delete-excluded}, an entry the rules exclude, or one below such a directory)
 * @param marked a destination file whose ready marker ({@code NAME<SUFFIX>}) is beside it
 */
public record Entry(RelPath path, EntryKind kind, FileMetadata metadata, Optional<String> linkTarget,
                    boolean excluded, boolean marked) {
    public Entry(RelPath path, EntryKind kind, FileMetadata metadata) {
        this(path, kind, metadata, Optional.empty(), false, false);
    }

    /** The last name of the path. */
    public String name() {
        return path.name();
    }
}
