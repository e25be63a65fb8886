package dev.duplex.tree;

import java.util.Optional;

/**
 * The file system a job's root lives on, as the mount guard records and compares it.
 *
 * @param device what is mounted: {@code /dev/sdb1}, {@code nas:/export}, {@code tmpfs}, a volume name
 * @param type the file system type: {@code ext4}, {@code nfs4}, {@code fuse.sshfs}, {@code NTFS}
 * @param mountPoint where it is mounted: the top directory of the root's path still on it
 */
public record RootFileSystem(String device, String type, String mountPoint) {
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
