package dev.duplex.tree;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * Keeps writes and deletes inside a tree's root: a directory inside it that is a symlink (perhaps swapped in after
 * the scan) is never written or deleted through, since that would reach outside the tree. The root itself may be a
 * symlink (a user's choice). A sync's own trees remember the directories found real, so a tree costs one check per
 * directory; a daemon's module ({@code remember} false) checks every directory on the way every time, since its
 * clients can replace a directory by a symlink in ways no cache would see. Thread-safe.
 */
final class DestinationGuard {
    private final Path root;
    private final boolean remember;
    private final ConcurrentSkipListSet<String> realDirectories = new ConcurrentSkipListSet<>();

    DestinationGuard(Path root, boolean remember) {
        this.root = root;
        this.remember = remember;
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
            if (remember && Files.isDirectory(dir)) {
                realDirectories.add(dir.toString());
            }
        }
        return Optional.empty();
    }

    /** Forgets what it learnt about {@code dir} and below (the tree changed it: deleted, replaced). */
    void forget(Path dir) {
        String d = dir.toString();
        realDirectories.remove(d);
        String below = d + dir.getFileSystem().getSeparator();
        realDirectories.subSet(below, below + Character.MAX_VALUE).clear();
    }
}
