package dev.duplex.commit;

import dev.duplex.backlog.LinkRow;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Recreates a source symlink as a symlink with the same target text (never following it), under a temp name and
 * renamed into place, on every destination that needs it, or on none: the link's own mtime is applied where the
 * platform allows. Never creates anything through a symlinked destination directory.
 */
public final class LinkMaker {
    private final DestinationGuard guard;

    public LinkMaker(List<Path> destinationRoots) {
        this.guard = new DestinationGuard(destinationRoots);
    }

    /** Makes the link; empty on success, otherwise why it is on no destination. */
    public Optional<String> make(LinkRow link) {
        List<Path[]> made = new ArrayList<>();
        try {
            for (int i : link.targets()) {
                Path finalPath = link.destPaths().get(i);
                Optional<Path> blocked = guard.symlinkOnTheWayTo(finalPath);
                if (blocked.isPresent()) {
                    throw new IOException("the destination directory " + blocked.get() + " is a symlink");
                }
                Path temp = TempName.forFinal(finalPath);
                Files.createDirectories(finalPath.getParent());
                Files.deleteIfExists(temp);
                Files.createSymbolicLink(temp, Path.of(link.target()));
                made.add(new Path[] {temp, finalPath});
                stamp(temp, link);
            }
            for (Path[] m : made) {
                rename(m[0], m[1]);
            }
            return Optional.empty();
        } catch (IOException | UnsupportedOperationException e) {
            for (Path[] m : made) {
                try {
                    Files.deleteIfExists(m[0]);
                } catch (IOException ignored) {
                    // swept by the next scan
                }
            }
            return Optional.of(e instanceof NoSuchFileException ? "no such file: " + e.getMessage() : e.toString());
        }
    }

    private static void stamp(Path link, LinkRow row) {
        try {
            Files.getFileAttributeView(link, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setTimes(FileTime.from(row.modified()), null, null);
        } catch (IOException | UnsupportedOperationException ignored) {
            // some platforms cannot time a symlink itself; the link is still right
        }
    }

    private static void rename(Path temp, Path finalPath) throws IOException {
        try {
            Files.move(temp, finalPath, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, finalPath, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
