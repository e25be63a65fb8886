package dev.duplex.commit;

import dev.duplex.backlog.BacklogStore;
import dev.duplex.tree.Tree;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * After the files: creates every source directory in the destinations (so empty ones exist too) and applies the
 * directories' mtime and atime, deepest first, since writing a file into a directory changes its mtime. Nothing is
 * created or stamped through a symlinked directory (the trees refuse).
 */
public final class DirectoryFinisher {
    private DirectoryFinisher() {}

    /** Directories under way at once on remote trees, at most. */
    private static final int IN_FLIGHT = 2048;

    private record Pending(String name, CompletableFuture<Void> done) {}

    /** @param onError called with the directory's name and the reason when one cannot be created or stamped */
    public static void finish(BacklogStore store, List<Tree> destinations, BiConsumer<String, String> onError) {
        ArrayDeque<Pending> pending = new ArrayDeque<>();
        store.forEachDirDeepestFirst(dir -> {
            for (Tree dest : destinations) {
                pending.add(new Pending(dest.nameOf(dir.path()),
                        dest.finishDirectory(dir.path(), dir.modified(), dir.accessed())));
                while (pending.size() > IN_FLIGHT || (!pending.isEmpty() && pending.peekFirst().done().isDone())) {
                    settle(pending.poll(), onError);
                }
            }
        });
        while (!pending.isEmpty()) {
            settle(pending.poll(), onError);
        }
    }

    private static void settle(Pending p, BiConsumer<String, String> onError) {
        try {
            p.done().join();
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            onError.accept(p.name(), cause.getMessage() == null ? cause.getClass().getSimpleName()
                    : cause.getMessage());
        }
    }
}
