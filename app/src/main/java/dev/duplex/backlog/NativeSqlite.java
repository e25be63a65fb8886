package dev.duplex.backlog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * Keeps one extracted copy of SQLite's native library per driver version in a directory of ours and points the
 * driver at it. Left alone, the driver extracts the library (1 MB) into the temp directory on every run, compares
 * it byte by byte, and leaves a copy behind whenever the JVM is killed; on a job run every few minutes from cron
 * that is both slow and litter. Best effort: if anything here fails, the driver does what it always does.
 */
public final class NativeSqlite {
    private NativeSqlite() {}

    /** Extracts the library into {@code directory/sqlite-<version>/} once and tells the driver to load it there. */
    public static void useCopyIn(Path directory) {
        if (System.getProperty("org.sqlite.lib.path") != null) {
            return; // the user chose a library
        }
        extract(directory).ifPresent(lib -> {
            System.setProperty("org.sqlite.lib.path", lib.getParent().toString());
            System.setProperty("org.sqlite.lib.name", lib.getFileName().toString());
        });
    }

    static Optional<Path> extract(Path directory) {
        try {
            String resource = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + LibraryLoaderUtil.getNativeLibName();
            Path lib = directory.resolve("sqlite-" + SQLiteJDBCLoader.getVersion())
                    .resolve(LibraryLoaderUtil.getNativeLibName());
            if (Files.isRegularFile(lib)) {
                return Optional.of(lib);
            }
            try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(resource)) {
                if (in == null) {
                    return Optional.empty(); // no bundled library for this platform: the driver decides
                }
                Files.createDirectories(lib.getParent());
                Path temp = Files.createTempFile(lib.getParent(), ".extract-", ".tmp");
                try {
                    Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
                    try {
                        Files.move(temp, lib, StandardCopyOption.ATOMIC_MOVE);
                    } catch (AtomicMoveNotSupportedException e) {
                        Files.move(temp, lib, StandardCopyOption.REPLACE_EXISTING);
                    }
                } finally {
                    Files.deleteIfExists(temp);
                }
            }
            return Optional.of(lib);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
