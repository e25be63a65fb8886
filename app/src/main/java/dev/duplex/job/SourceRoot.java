package dev.duplex.job;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

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
}
