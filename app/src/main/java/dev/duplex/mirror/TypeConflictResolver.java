package dev.duplex.mirror;

import dev.duplex.scan.TypeConflict;
import dev.duplex.tree.Entry;
import dev.duplex.tree.EntryKind;
import dev.duplex.tree.RelPath;
import dev.duplex.tree.Roots;
import dev.duplex.tree.Tree;
import dev.duplex.tree.WalkRules;
import dev.duplex.tree.WalkSink;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Before the transfer, clears destination entries of another kind that stand where a source entry must go (a file
 * that became a directory, a directory that became a file). As rsync does, a file or link where the source now has a
 * directory, and an empty directory where it now has a file, are replaced on every run: the source changed that
 * path. A symlink where the source has a directory is left alone without --delete-extras (it may link a directory
 * elsewhere on purpose; the writers refuse to write through it); with it, the link itself is replaced (never what it
 * points to), as rsync does. A directory with content is deleted only with --delete-extras (everything in it is
 * destination-only, since the source has a file there); otherwise it is kept and the user told how to replace it. Each removal is checked live against the source first, and nothing is removed through a symlinked destination
 * directory (the trees refuse).
 */
public final class TypeConflictResolver {
    /** What happened to each conflicting entry (full names). */
    public interface Observer {
        void deleted(String destName, String sourceName);

        void kept(String destName, String reason);
    }

    private final Roots roots;
    private final boolean deleteTrees;
    private final long maxDelete;
    private long treeEntriesDeleted;

    /**
     * @param deleteTrees --delete-extras: a directory with content may be deleted
     * @param maxDelete --max-delete: directories with content are deleted only while their entries stay within it
     *     (negative = no cap)
     */
    public TypeConflictResolver(Roots roots, boolean deleteTrees, long maxDelete) {
        this.roots = roots;
        this.deleteTrees = deleteTrees;
        this.maxDelete = maxDelete;
    }

    public void resolve(List<TypeConflict> conflicts, Observer observer) throws InterruptedException {
        for (TypeConflict c : conflicts) {
            Tree dest = roots.destination(c.destination());
            String destName = dest.nameOf(c.path());
            try {
                Optional<Entry> source = roots.source().stat(c.path(), Tree.Detail.BASIC);
                Optional<Entry> here = dest.stat(c.path(), Tree.Detail.BASIC);
                boolean sourceIsDir = source.filter(e -> e.kind() == EntryKind.DIRECTORY).isPresent();
                boolean destIsDir = here.filter(e -> e.kind() == EntryKind.DIRECTORY).isPresent();
                if (source.isEmpty() || here.isEmpty() || sourceIsDir == destIsDir || destIsDir != c.destIsDirectory()) {
                    continue; // the conflict is gone (or the source moved on): nothing to clear
                }
                if (here.get().kind() == EntryKind.SYMLINK && sourceIsDir && !deleteTrees) {
                    // perhaps a directory deliberately linked elsewhere: never written through
                    observer.kept(destName, "it is a symlink where the source has a directory; not replacing it "
                            + "(--delete-extras replaces the link, never what it points to)");
                    continue;
                }
                if (!destIsDir) {
                    dest.delete(c.path());
                    observer.deleted(destName, roots.source().nameOf(c.path()));
                } else if (dest.isEmptyDirectory(c.path())) {
                    deleteTree(dest, c.path(), List.of(), observer);
                } else if (deleteTrees) {
                    deleteTreeWithinCap(dest, c, observer);
                } else {
                    observer.kept(destName, "it is a directory with content where the source has a file; "
                            + "--delete-extras replaces it");
                }
            } catch (IOException e) {
                observer.kept(destName, "cannot remove it to make way for the source's entry: " + e);
            }
        }
    }

    private void deleteTreeWithinCap(Tree dest, TypeConflict c, Observer observer)
            throws IOException, InterruptedException {
        List<RelPath> below = entriesBelow(dest, c.path());
        long entries = below.size() + 1;
        if (maxDelete >= 0 && treeEntriesDeleted + entries > maxDelete) {
            observer.kept(dest.nameOf(c.path()), "it is a directory where the source has a file, and deleting it "
                    + "would remove " + entries + " entries, more than --max-delete " + maxDelete + " allows");
            return;
        }
        treeEntriesDeleted += entries;
        deleteTree(dest, c.path(), below, observer);
    }

    /** Entries deleted with directories that had content: they count against --max-delete with mirror cleanup's. */
    public long treeEntriesDeleted() {
        return treeEntriesDeleted;
    }

    private static List<RelPath> entriesBelow(Tree dest, RelPath dir) throws IOException, InterruptedException {
        List<RelPath> all = new ArrayList<>();
        dest.walk(dir, WalkRules.ALL, Tree.Detail.BASIC, new WalkSink() {
            @Override
            public void entries(List<Entry> batch) {
                batch.forEach(e -> all.add(e.path()));
            }

            @Override
            public void warning(String message) {
                // an entry that cannot be read is not deleted; the directory then stays, and says so below
            }
        });
        return all;
    }

    /** Deletes a destination tree deepest first, never following links (a link is removed as a link). */
    private void deleteTree(Tree dest, RelPath dir, List<RelPath> below, Observer observer) throws IOException {
        List<RelPath> all = new ArrayList<>(below);
        all.sort(Comparator.reverseOrder());
        all.add(dir);
        for (RelPath p : all) {
            if (!dest.delete(p)) {
                continue;
            }
            observer.deleted(dest.nameOf(p), roots.source().nameOf(p));
        }
    }
}
