package dev.duplex.commit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps writes and deletes inside the destination roots: a directory inside a destination that is a symlink
 * (perhaps swapped in after the scan) is never written or deleted through, since that would reach outside the
 * tree. The roots themselves may be symlinks (a user's choice). Directories found real are remembered, so a tree
 * costs one check per directory. Not thread-safe: one per thread.
 */
public final class DestinationGuard {
    private final List<Path> roots;
    private final Set<Path> realDirectories = new HashSet<>();

    public DestinationGuard(List<Path> roots) {
        this.roots = List.copyOf(roots);
    }

    /** The first directory between {@code path}'s root and {@code path} that is a symlink, if any. */
    public Optional<Path> symlinkOnTheWayTo(Path path) {
        Optional<Path> root = roots.stream().filter(path::startsWith).findFirst();
        if (root.isEmpty()) {
            return Optional.of(path); // outside every root: refuse as if blocked
        }
        for (Path dir = path.getParent(); dir != null && !dir.equals(root.get()); dir = dir.getParent()) {
            if (realDirectories.contains(dir)) {
                return Optional.empty();
            }
            if (Files.isSymbolicLink(dir)) {
                return Optional.of(dir);
            }
            if (Files.isDirectory(dir)) {
                realDirectories.add(dir);
            }
        }
        return Optional.empty();
    }
}
