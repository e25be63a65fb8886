package dev.duplex.mirror;

import dev.duplex.backlog.BacklogStore;
import dev.duplex.backlog.Extra;
import dev.duplex.backlog.ExtraRows;
import dev.duplex.commit.DestinationGuard;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import dev.duplex.filter.PathFilter;

/**
 * Mirror cleanup (seed 001 §3.4): deletes destination entries that the last scan found absent from the source,
 * files first, then directories deepest first, each only after a live check confirms the source path is still
 * absent. With {@code --delete-excluded} it also deletes the entries the filters exclude, each after a live check
 * that the source path is absent or still excluded. Fails closed: if the check cannot tell (an I/O error, the
 * source root gone), nothing is deleted.
 */
public final class ExtraFileDeleter {
    /** What happened to each extra, for the audit log and the user. */
    public interface Observer {
        void deleted(Extra extra);

        void kept(Extra extra, String reason);
    }

    /** Whether a source path is absent right now. */
    public enum LiveCheck { ABSENT, PRESENT, UNKNOWN }

    /** The safety rails: an empty source and a cap on how much one run may delete. */
    public record Limits(boolean allowEmptySource, long maxDelete) {}

    /** What cleanup did: how many entries it deleted, or why it refused to delete any. */
    public record Outcome(int deleted, Optional<String> refusal) {}

    private final Path sourceRoot;
    private final DestinationGuard guard;
    private final PathFilter filter;

    public ExtraFileDeleter(Path sourceRoot, List<Path> destinationRoots, PathFilter filter) {
        this.sourceRoot = sourceRoot;
        this.guard = new DestinationGuard(destinationRoots);
        this.filter = filter;
    }

    /**
     * Deletes the extras confirmed absent by a live check; {@code dryRun} only reports. Refuses to delete anything
     * when the source root is empty (an unmounted share looks empty) unless allowed, or when more entries would be
     * deleted than {@code maxDelete}.
     */
    public Outcome deleteExtras(BacklogStore store, Observer observer, boolean dryRun, Limits limits) {
        if (!limits.allowEmptySource() && isEmpty(sourceRoot)) {
            return new Outcome(0, Optional.of("not deleting extras: the source root " + sourceRoot + " is empty "
                    + "(an unmounted share looks like this); pass --allow-empty-source if it really is empty"));
        }
        if (limits.maxDelete() >= 0 && store.extraCount() > limits.maxDelete()) {
            long confirmed = countConfirmed(store);
            if (confirmed > limits.maxDelete()) {
                return new Outcome(0, Optional.of("not deleting extras: " + confirmed + " entries would be "
                        + "deleted, more than --max-delete " + limits.maxDelete() + "; nothing was deleted"));
            }
        }
        int deleted = 0;
        try (ExtraRows extras = store.openExtras()) {
            while (extras.hasNext()) {
                Extra extra = extras.next();
                LiveCheck check = check(extra);
                if (check == LiveCheck.PRESENT) {
                    observer.kept(extra, extra.excluded() ? "exists in the source now and is no longer excluded"
                            : "exists in the source now");
                    continue;
                }
                if (check == LiveCheck.UNKNOWN) {
                    observer.kept(extra, "cannot check the source path " + extra.sourcePath());
                    continue;
                }
                if (!sourceRootReadable()) {
                    observer.kept(extra, "source root " + sourceRoot + " is no longer readable; cleanup stopped");
                    break;
                }
                if (deleteOne(store, extra, observer, dryRun)) {
                    deleted++;
                }
            }
        }
        return new Outcome(deleted, Optional.empty());
    }

    /** The extras a live check confirms right now (the cap's count; nothing is deleted). */
    private long countConfirmed(BacklogStore store) {
        long confirmed = 0;
        try (ExtraRows extras = store.openExtras()) {
            while (extras.hasNext()) {
                if (check(extras.next()) == LiveCheck.ABSENT) {
                    confirmed++;
                }
            }
        }
        return confirmed;
    }

    /** Deletes one confirmed extra (or, in a dry run, reports it); true when it counts as deleted. */
    private boolean deleteOne(BacklogStore store, Extra extra, Observer observer, boolean dryRun) {
        Optional<Path> link = guard.symlinkOnTheWayTo(extra.destPath());
        if (link.isPresent()) {
            observer.kept(extra, "the destination directory " + link.get() + " is a symlink; not deleting "
                    + "through it");
            return false;
        }
        if (dryRun) {
            observer.deleted(extra);
            return true;
        }
        try {
            boolean removed = remove(extra);
            if (removed) {
                observer.deleted(extra);
            }
            store.removeExtra(extra.destPath());
            return removed;
        } catch (DirectoryNotEmptyException e) {
            observer.kept(extra, "directory is not empty (something new is in it)");
        } catch (IOException e) {
            observer.kept(extra, "cannot delete: " + e.getMessage());
        }
        return false;
    }

    private static boolean isEmpty(Path dir) {
        try (java.nio.file.DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            return !s.iterator().hasNext();
        } catch (IOException e) {
            return true; // unreadable counts as empty: fail closed
        }
    }

    private boolean sourceRootReadable() {
        return Files.isDirectory(sourceRoot) && Files.isReadable(sourceRoot);
    }

    /**
     * Whether the extra may go: its source path is absent right now (ABSENT); for an excluded extra also when the
     * source has it but the filters still exclude it as it is now (its kind, its size).
     */
    LiveCheck check(Extra extra) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(extra.sourcePath(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return LiveCheck.ABSENT;
        } catch (IOException e) {
            return LiveCheck.UNKNOWN;
        }
        if (!extra.excluded()) {
            return LiveCheck.PRESENT;
        }
        String relative = sourceRoot.relativize(extra.sourcePath()).toString().replace(java.io.File.separatorChar, '/');
        boolean excluded = filter.excludesPath(relative, a.isDirectory(),
                a.isRegularFile() ? OptionalLong.of(a.size()) : OptionalLong.empty());
        return excluded ? LiveCheck.ABSENT : LiveCheck.PRESENT;
    }

    private static boolean remove(Extra extra) throws IOException {
        // a symlink (even to a directory) is deleted as a link, never followed
        return Files.deleteIfExists(extra.destPath());
    }
}
