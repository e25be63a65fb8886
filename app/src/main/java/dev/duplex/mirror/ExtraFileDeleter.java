package dev.duplex.mirror;

import dev.duplex.backlog.BacklogStore;
import dev.duplex.backlog.Extra;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * Mirror cleanup (seed 001 §3.4): deletes destination entries that the last scan found absent from the source,
 * files first, then directories deepest first, each only after a live check confirms the source path is still
 * absent. Fails closed: if the check cannot tell (an I/O error, the source root gone), nothing is deleted.
 */
public final class ExtraFileDeleter {
    /** What happened to each extra, for the audit log and the user. */
    public interface Observer {
        void deleted(Extra extra);

        void kept(Extra extra, String reason);
    }

    /** Whether a source path is absent right now. */
    public enum LiveCheck { ABSENT, PRESENT, UNKNOWN }

    private final Path sourceRoot;

    public ExtraFileDeleter(Path sourceRoot) {
        this.sourceRoot = sourceRoot;
    }


    /** Deletes what is confirmed absent; {@code dryRun} only reports. Returns the number deleted. */
    public int deleteExtras(BacklogStore store, Observer observer, boolean dryRun) {
        int deleted = 0;
        for (Extra extra : store.extras()) {
            if (!sourceRootReadable()) {
                observer.kept(extra, "source root " + sourceRoot + " is no longer readable; cleanup stopped");
                break;
            }
            LiveCheck check = check(extra.sourcePath());
            if (check == LiveCheck.PRESENT) {
                observer.kept(extra, "exists in the source now");
                continue;
            }
            if (check == LiveCheck.UNKNOWN) {
                observer.kept(extra, "cannot check the source path " + extra.sourcePath());
                continue;
            }
            if (dryRun) {
                observer.deleted(extra);
                deleted++;
                continue;
            }
            try {
                if (remove(extra)) {
                    observer.deleted(extra);
                    deleted++;
                }
                store.removeExtra(extra.destPath());
            } catch (DirectoryNotEmptyException e) {
                observer.kept(extra, "directory is not empty (something new is in it)");
            } catch (IOException e) {
                observer.kept(extra, "cannot delete: " + e.getMessage());
            }
        }
        return deleted;
    }

    private boolean sourceRootReadable() {
        return Files.isDirectory(sourceRoot) && Files.isReadable(sourceRoot);
    }

    static LiveCheck check(Path sourcePath) {
        try {
            Files.readAttributes(sourcePath, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return LiveCheck.PRESENT;
        } catch (NoSuchFileException e) {
            return LiveCheck.ABSENT;
        } catch (IOException e) {
            return LiveCheck.UNKNOWN;
        }
    }

    private static boolean remove(Extra extra) throws IOException {
        // a symlink (even to a directory) is deleted as a link, never followed
        return Files.deleteIfExists(extra.destPath());
    }
}
