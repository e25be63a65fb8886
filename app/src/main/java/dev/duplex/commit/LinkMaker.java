package dev.duplex.commit;

import dev.duplex.backlog.LinkRow;
import dev.duplex.tree.Tree;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/**
 * Recreates a source symlink as a symlink with the same target text (never following it), under a temp name and
 * renamed into place, on every destination that needs it, or on none: the link's own mtime is applied where the
 * platform allows. Never creates anything through a symlinked destination directory (the trees refuse).
 */
public final class LinkMaker {
    private final List<Tree> destinations;

    public LinkMaker(List<Tree> destinations) {
        this.destinations = List.copyOf(destinations);
    }

    /** Makes the link; empty on success, otherwise why it is on no destination. */
    public Optional<String> make(LinkRow link) {
        List<Tree> made = new ArrayList<>();
        try {
            for (int i : link.targets()) {
                Tree dest = destinations.get(i);
                made.add(dest);
                dest.createLinkTemp(link.path(), link.target(), link.modified());
            }
            for (Tree dest : made) {
                dest.commit(link.path()).join();
            }
            return Optional.empty();
        } catch (IOException | CompletionException e) {
            made.forEach(d -> d.abandon(link.path()));
            Throwable cause = e instanceof CompletionException c && c.getCause() != null ? c.getCause() : e;
            return Optional.of(cause instanceof NoSuchFileException ? "no such file: " + cause.getMessage()
                    : cause instanceof java.nio.file.FileSystemException fse && fse.getReason() != null
                    ? fse.getReason() + ": " + fse.getFile()
                    : cause.getMessage() != null ? cause.getMessage() : cause.toString());
        }
    }
}
