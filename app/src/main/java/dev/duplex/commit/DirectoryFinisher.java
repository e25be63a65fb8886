package dev.duplex.commit;

import dev.duplex.backlog.BacklogStore;
import dev.duplex.backlog.DirRow;
import dev.duplex.tree.Tree;
import java.io.IOException;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * After the files: creates every source directory in the destinations (so empty ones exist too) and applies the
 * directories' mtime and atime, deepest first, since writing a file into a directory changes its mtime. Nothing is
 * created or stamped through a symlinked directory (the trees refuse).
 */
public final class DirectoryFinisher {
    private DirectoryFinisher() {}

    /** @param onError called with the directory's name and the reason when one cannot be created or stamped */
    public static void finish(BacklogStore store, List<Tree> destinations, BiConsumer<String, String> onError) {
        store.forEachDirDeepestFirst(dir -> {
            for (Tree dest : destinations) {
                finishOne(dir, dest, onError);
            }
        });
    }

    private static void finishOne(DirRow dir, Tree dest, BiConsumer<String, String> onError) {
        try {
            dest.makeDirectories(dir.path());
            dest.setTimes(dir.path(), dir.modified(), dir.accessed());
        } catch (IOException e) {
            onError.accept(dest.nameOf(dir.path()), e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }
}
