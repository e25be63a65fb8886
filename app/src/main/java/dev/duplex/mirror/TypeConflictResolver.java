package dev.duplex.mirror;

import dev.duplex.commit.DestinationGuard;
import dev.duplex.scan.TypeConflict;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Before the transfer, clears destination entries of another kind that stand where a source entry must go (a file
 * that became a directory, a directory that became a file). As rsync does, a file or link where the source now has a
 * directory, and an empty directory where it now has a file, are replaced on every run: the source changed that
 * path. A symlink where the source has a directory is left alone (it may link a directory elsewhere on purpose; the
 * writers refuse to write through it). A directory with content is deleted only with --delete-extras (everything in it is destination-only, since
 * the source has a file there); otherwise it is kept and the user told how to replace it. Each removal is checked
 * live against the source first, and nothing is removed through a symlinked destination directory.
 */
public final class TypeConflictResolver {
    /** What happened to each conflicting entry. */
    public interface Observer {
        void deleted(Path destPath, Path sourcePath);

        void kept(Path destPath, String reason);
    }

    private final DestinationGuard guard;
    private final boolean deleteTrees;
    private final long maxDelete;
    private long treeEntriesDeleted;

    /**
     * @param deleteTrees --delete-extras: a directory with content may be deleted
     * @param maxDelete --max-delete: directories with content are deleted only while their entries stay within it
     *     (negative = no cap)
     */
    public TypeConflictResolver(List<Path> destinationRoots, boolean deleteTrees, long maxDelete) {
        this.guard = new DestinationGuard(destinationRoots);
        this.deleteTrees = deleteTrees;
        this.maxDelete = maxDelete;
    }

    public void resolve(List<TypeConflict> conflicts, Observer observer) {
        for (TypeConflict c : conflicts) {
            Optional<Path> link = guard.symlinkOnTheWayTo(c.destPath());
            if (link.isPresent()) {
                observer.kept(c.destPath(), "the destination directory " + link.get() + " is a symlink");
                continue;
            }
            boolean sourceIsDir = Files.isDirectory(c.sourcePath(), LinkOption.NOFOLLOW_LINKS);
            boolean destIsDir = Files.isDirectory(c.destPath(), LinkOption.NOFOLLOW_LINKS);
            if (!Files.exists(c.sourcePath(), LinkOption.NOFOLLOW_LINKS) || sourceIsDir == destIsDir
                    || destIsDir != c.destIsDirectory()) {
                continue; // the conflict is gone (or the source moved on): nothing to clear
            }
            if (Files.isSymbolicLink(c.destPath())) {
                // perhaps a directory deliberately linked elsewhere: never replaced, never written through
                observer.kept(c.destPath(), "it is a symlink where the source has a directory; not replacing it");
                continue;
            }
            try {
                if (!destIsDir) {
                    Files.delete(c.destPath());
                    observer.deleted(c.destPath(), c.sourcePath());
                } else if (isEmpty(c.destPath())) {
                    deleteTree(c.destPath(), c.sourcePath(), observer);
                } else if (deleteTrees) {
                    deleteTreeWithinCap(c, observer);
                } else {
                    observer.kept(c.destPath(), "it is a directory with content where the source has a file; "
                            + "--delete-extras replaces it");
                }
            } catch (IOException e) {
                observer.kept(c.destPath(), "cannot remove it to make way for the source's "
                        + (sourceIsDir ? "directory" : "file") + ": " + e);
            }
        }
    }

    private void deleteTreeWithinCap(TypeConflict c, Observer observer) throws IOException {
        long entries;
        try (Stream<Path> s = Files.walk(c.destPath())) {
            entries = s.count();
        }
        if (maxDelete >= 0 && treeEntriesDeleted + entries > maxDelete) {
            observer.kept(c.destPath(), "it is a directory where the source has a file, and deleting it would remove "
                    + entries + " entries, more than --max-delete " + maxDelete + " allows");
            return;
        }
        treeEntriesDeleted += entries;
        deleteTree(c.destPath(), c.sourcePath(), observer);
    }

    /** Entries deleted with directories that had content: they count against --max-delete with mirror cleanup's. */
    public long treeEntriesDeleted() {
        return treeEntriesDeleted;
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            return !s.iterator().hasNext();
        }
    }

    /** Deletes a destination tree deepest first, never following links (a link is removed as a link). */
    private static void deleteTree(Path dir, Path sourcePath, Observer observer) throws IOException {
        List<Path> all;
        try (Stream<Path> s = Files.walk(dir)) {
            all = s.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : all) {
            Files.delete(p);
            observer.deleted(p, sourcePath.resolve(dir.relativize(p)));
        }
    }
}
