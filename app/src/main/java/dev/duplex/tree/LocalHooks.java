package dev.duplex.tree;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** The operations of a {@link LocalTree} that tests replace to inject faults: opening a source, a temp, renaming. */
public record LocalHooks(LocalHooks.SourceOpener sourceOpener, LocalHooks.TempOpener tempOpener,
                         LocalHooks.Renamer renamer) {
    public static final LocalHooks REAL = new LocalHooks(SourceOpener.DEFAULT, TempOpener.DEFAULT, Renamer.DEFAULT);

    /** Opens a source file for reading. */
    @FunctionalInterface
    public interface SourceOpener {
        FileChannel open(Path path) throws IOException;

        SourceOpener DEFAULT = p -> FileChannel.open(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    }

    /** Opens (creating or truncating) a temp file for writing. */
    @FunctionalInterface
    public interface TempOpener {
        FileChannel open(Path temp) throws IOException;

        TempOpener DEFAULT = temp -> FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS);
    }

    /** Renames a temp file to its final name. */
    @FunctionalInterface
    public interface Renamer {
        void rename(Path temp, Path finalPath) throws IOException;

        Renamer DEFAULT = (temp, finalPath) -> {
            try {
                Files.move(temp, finalPath, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, finalPath, StandardCopyOption.REPLACE_EXISTING);
            }
        };
    }
}
