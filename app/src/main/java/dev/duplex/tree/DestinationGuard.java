package dev.duplex.tree;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * Keeps writes and deletes inside a tree's root: a directory inside it that is a symlink (perhaps swapped in after
 * the scan) is never written or deleted through, since that would reach outside the tree. The root itself may be a
 * symlink (a user's choice). Directories found real are remembered, so a tree costs one check per directory. The
 * tree makes it forget whenever a directory may have been replaced: a delete forgets that path and below; a
 * symlink made or renamed into place (the only ways one appears through a tree, which a daemon's clients could use
 * to swap a remembered directory for a link out) forgets everything. Thread-safe.
 */
final class DestinationGuard {
    private final Path root;
    private final ConcurrentSkipListSet<String> realDirectories = new ConcurrentSkipListSet<>();

    DestinationGuard(Path root) {
        this.root = root;
    }

    /** The first directory between the root and {@code path} that is a symlink, if any. */
    Optional<Path> symlinkOnTheWayTo(Path path) {
        if (!path.startsWith(root)) {
            return Optional.of(path); // outside the root: refuse as if blocked
        }
        for (Path dir = path.getParent(); dir != null && !dir.equals(root); dir = dir.getParent()) {
            if (realDirectories.contains(dir.toString())) {
                return Optional.empty();
            }
            if (Files.isSymbolicLink(dir)) {
                return Optional.of(dir);
            }
            if (Files.isDirectory(dir)) {
                realDirectories.add(dir.toString());
            }
        }
        return Optional.empty();
    }

    /** Forgets every directory it found real. */
    void forgetAll() {
        realDirectories.clear();
    }

    /** Forgets what it learnt about {@code dir} and below (the tree changed it: deleted, replaced). */
    void forget(Path dir) {
        String d = dir.toString();
        realDirectories.remove(d);
        String below = d + dir.getFileSystem().getSeparator();
        realDirectories.subSet(below, below + Character.MAX_VALUE).clear();
    }
}
