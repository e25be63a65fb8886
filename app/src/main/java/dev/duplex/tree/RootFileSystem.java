package dev.duplex.tree;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The file system a job's root lives on, as the mount guard records and compares it.
 *
 * @param device what is mounted: {@code /dev/sdb1}, {@code nas:/export}, {@code tmpfs}, a volume name
 * @param type the file system type: {@code ext4}, {@code nfs4}, {@code fuse.sshfs}, {@code NTFS}
 * @param mountPoint where it is mounted: the top directory of the root's path still on it
 */
public record RootFileSystem(String device, String type, String mountPoint) {
    /**
     * The file system of {@code root}, or of its nearest existing parent when it does not exist yet (a destination
     * created by the run lands there): what is mounted, its type, and its mount point (the top directory above the
     * root still on the same file system).
     */
    public static RootFileSystem of(Path root) throws IOException {
        Path existing = root;
        while (!Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
            if (existing == null) {
                throw new IOException("no part of " + root + " exists");
            }
        }
        Path real = existing.toRealPath();
        FileStore store = Files.getFileStore(real);
        Path mountPoint = real;
        for (Path parent = real.getParent(); parent != null; parent = parent.getParent()) {
            if (!Files.getFileStore(parent).equals(store)) {
                break;
            }
            mountPoint = parent;
        }
        return new RootFileSystem(store.name(), store.type(), mountPoint.toString());
    }

    /** As people read it: {@code nas:/export (nfs4) mounted at /mnt/share}. */
    @Override
    public String toString() {
        return device + " (" + type + ") mounted at " + mountPoint;
    }

    /** One line for the db: the three fields separated by tabs (none of them holds one). */
    public String encode() {
        return device.replace('\t', ' ') + "\t" + type.replace('\t', ' ') + "\t" + mountPoint.replace('\t', ' ');
    }

    public static Optional<RootFileSystem> decode(String s) {
        String[] parts = s.split("\t", -1);
        return parts.length == 3 ? Optional.of(new RootFileSystem(parts[0], parts[1], parts[2])) : Optional.empty();
    }
}
