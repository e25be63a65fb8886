package dev.duplex.mirror;

import dev.duplex.backlog.BacklogStore;
import dev.duplex.backlog.Extra;
import dev.duplex.backlog.ExtraRows;
import dev.duplex.tree.Entry;
import dev.duplex.tree.EntryKind;
import dev.duplex.tree.RelPath;
import dev.duplex.tree.Roots;
import dev.duplex.tree.Tree;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
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

    private final Roots roots;
    private final PathFilter filter;

    public ExtraFileDeleter(Roots roots, PathFilter filter) {
        this.roots = roots;
        this.filter = filter;
    }

    /**
     * Deletes the extras confirmed absent by a live check; {@code dryRun} only reports. Refuses to delete anything
     * when the source root is empty (an unmounted share looks empty) unless allowed, or when more entries would be
     * deleted than {@code maxDelete}.
     */
    public Outcome deleteExtras(BacklogStore store, Observer observer, boolean dryRun, Limits limits) {
        if (!limits.allowEmptySource() && sourceIsEmpty()) {
            return new Outcome(0, Optional.of("not deleting extras: the source root " + roots.source().root() + " is empty "
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
                    observer.kept(extra, "cannot check the source path " + roots.source().nameOf(extra.path()));
                    continue;
                }
                if (!sourceRootReadable()) {
                    observer.kept(extra, "source root " + roots.source().root() + " is no longer readable; cleanup "
                            + "stopped");
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
        if (dryRun) {
            observer.deleted(extra);
            return true;
        }
        try {
            // a symlink (even to a directory) is deleted as a link, never followed; never through a symlinked dir
            boolean removed = roots.destination(extra.destination()).delete(extra.path());
            if (removed) {
                observer.deleted(extra);
            }
            store.removeExtra(extra);
            return removed;
        } catch (DirectoryNotEmptyException e) {
            observer.kept(extra, "directory is not empty (something new is in it)");
        } catch (IOException e) {
            observer.kept(extra, "cannot delete: " + e.getMessage());
        }
        return false;
    }

    private boolean sourceIsEmpty() {
        try {
            return roots.source().isEmptyDirectory(RelPath.ROOT);
        } catch (IOException e) {
            return true; // unreadable counts as empty: fail closed
        }
    }

    private boolean sourceRootReadable() {
        try {
            return roots.source().stat(RelPath.ROOT, Tree.Detail.BASIC).filter(e -> e.kind() == EntryKind.DIRECTORY)
                    .isPresent();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Whether the extra may go: its source path is absent right now (ABSENT); for an excluded extra also when the
     * source has it but the filters still exclude it as it is now (its kind, its size).
     */
    LiveCheck check(Extra extra) {
        Optional<Entry> now;
        try {
            now = roots.source().stat(extra.path(), Tree.Detail.BASIC);
        } catch (IOException e) {
            return LiveCheck.UNKNOWN;
        }
        if (now.isEmpty()) {
            return LiveCheck.ABSENT;
        }
        if (!extra.excluded()) {
            return LiveCheck.PRESENT;
        }
        Entry e = now.get();
        boolean excluded = filter.excludesPath(extra.path().toString(), e.kind() == EntryKind.DIRECTORY,
                e.kind() == EntryKind.FILE ? OptionalLong.of(e.metadata().sizeBytes()) : OptionalLong.empty());
        return excluded ? LiveCheck.ABSENT : LiveCheck.PRESENT;
    }
}
