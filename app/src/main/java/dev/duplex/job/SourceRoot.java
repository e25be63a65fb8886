package dev.duplex.job;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import dev.duplex.tree.EntryKind;
import dev.duplex.tree.RelPath;
import dev.duplex.tree.Tree;

/** The source root must be a directory we can list; otherwise nothing can be synced (exit 4). */
final class SourceRoot {
    private SourceRoot() {}

    static void check(Path source) {
        if (!Files.exists(source)) {
            throw JobFailure.fatal("source root " + source + " does not exist (is the share mounted?)");
        }
        if (!Files.isDirectory(source)) {
            throw JobFailure.usage("source " + source + " is not a directory; SOURCE must be a directory");
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(source)) {
            s.iterator().hasNext();
        } catch (NoSuchFileException e) {
            throw JobFailure.fatal("source root " + source + " does not exist (is the share mounted?)");
        } catch (IOException e) {
            throw JobFailure.fatal("cannot read source root " + source + ": " + SyncJob.describe(e)
                    + " (check permissions and that the share is mounted)", e);
        }
    }

    /** The same for a source on a daemon, asked over the connection. */
    static void check(Tree source) {
        try {
            var root = source.stat(RelPath.ROOT, Tree.Detail.BASIC);
            if (root.isEmpty()) {
                throw JobFailure.fatal("source root " + source.root() + " does not exist");
            }
            if (root.get().kind() != EntryKind.DIRECTORY) {
                throw JobFailure.usage("source " + source.root() + " is not a directory; SOURCE must be a directory");
            }
        } catch (IOException e) {
            throw JobFailure.fatal("cannot read source root " + source.root() + ": " + SyncJob.describe(e), e);
        }
    }
}
