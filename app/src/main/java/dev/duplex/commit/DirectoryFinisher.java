package dev.duplex.commit;

import dev.duplex.backlog.BacklogStore;
import dev.duplex.backlog.DirRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * After the files: creates every source directory in the destinations (so empty ones exist too) and applies the
 * directories' mtime and atime, deepest first, since writing a file into a directory changes its mtime.
 */
public final class DirectoryFinisher {
    private DirectoryFinisher() {}

    /**
     * @param destinationRoots nothing is created or stamped through a symlinked directory inside them
     * @param onError called with the directory and the reason when one cannot be created or stamped
     */
    public static void finish(BacklogStore store, List<Path> destinationRoots, BiConsumer<Path, String> onError) {
        DestinationGuard guard = new DestinationGuard(destinationRoots);
        store.forEachDirDeepestFirst(dir -> {
            for (Path dest : dir.destPaths()) {
                Optional<Path> link = Files.isSymbolicLink(dest) ? Optional.of(dest) : guard.symlinkOnTheWayTo(dest);
                if (link.isPresent()) {
                    onError.accept(dest, link.get() + " is a symlink in the destination; not writing through it");
                } else {
                    finishOne(dir, dest, onError);
                }
            }
        });
    }

    private static void finishOne(DirRow dir, Path dest, BiConsumer<Path, String> onError) {
        try {
            if (!Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(dest);
            }
            Files.getFileAttributeView(dest, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setTimes(FileTime.from(dir.modified()), FileTime.from(dir.accessed()), null);
        } catch (IOException e) {
            onError.accept(dest, e.getMessage() == null ? e.getClass().getSimpleName() : e.toString());
        }
    }
}
