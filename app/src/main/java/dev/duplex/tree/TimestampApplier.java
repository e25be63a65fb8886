package dev.duplex.tree;

import dev.duplex.tree.FileMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the source's mtime, atime and (where the platform allows) creation time to a destination file.
 * Permissions are never applied (seed 001: recorded only). A POSIX ctime cannot be set by any program; creation
 * time can be set on Windows only: both facts are logged once per run, not per file. Thread-safe.
 */
public final class TimestampApplier {
    private static final Logger LOG = LoggerFactory.getLogger(TimestampApplier.class);
    private static final boolean CREATION_SETTABLE =
            System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

    private final AtomicBoolean explained = new AtomicBoolean();

    public void apply(Path file, FileMetadata source) throws IOException {
        FileTime created = CREATION_SETTABLE ? source.created().map(FileTime::from).orElse(null) : null;
        // never through a symlink: a symlink's own times are set (a daemon's module is never left that way)
        Files.getFileAttributeView(file, BasicFileAttributeView.class, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                .setTimes(FileTime.from(source.modified()), FileTime.from(source.accessed()), created);
        if (!CREATION_SETTABLE && explained.compareAndSet(false, true)) {
            LOG.info("creation time and ctime cannot be set on this platform; mtime and atime are applied, "
                    + "creation time and ctime are recorded in the db only");
        }
    }
}
