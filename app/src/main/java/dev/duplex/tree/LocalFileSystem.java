package dev.duplex.tree;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/** Whether a tree is on a local disk (or in memory) rather than a share: the "auto" choices are made from this. */
public final class LocalFileSystem {
    /** File systems on a local block device (or in memory), as Linux names them. */
    private static final Set<String> LOCAL_FILE_SYSTEMS = Set.of("ext2", "ext3", "ext4", "xfs", "btrfs", "tmpfs",
            "f2fs", "zfs", "jfs", "reiserfs", "bcachefs", "overlay");

    private LocalFileSystem() {}

    /**
     * Whether {@code path} (or, when it does not exist yet, its nearest existing ancestor) is on a local Linux file
     * system. False for shares (nfs, cifs, fuse.sshfs, ...) and for whatever cannot be told, other platforms' names
     * included.
     */
    public static boolean isLocal(Path path) {
        Path existing = path.toAbsolutePath();
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return false;
        }
        try {
            return LOCAL_FILE_SYSTEMS.contains(Files.getFileStore(existing).type().toLowerCase(Locale.ROOT));
        } catch (IOException | SecurityException e) {
            return false;
        }
    }
}
