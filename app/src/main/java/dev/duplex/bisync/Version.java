package dev.duplex.bisync;

import dev.duplex.tree.EntryKind;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What one side holds at one path, now or as recorded at the end of the last run.
 *
 * @param kind FILE, DIRECTORY or SYMLINK
 * @param size bytes of a file (0 otherwise)
 * @param modified the mtime (of a file or a symlink; a directory's is not compared)
 * @param hash the content's hash, {@code algo:hex}, where known
 * @param fileId the file's identity on its file system (device and inode, or a file id), where known
 * @param linkTarget a symlink's target text
 */
public record Version(EntryKind kind, long size, Instant modified, Optional<String> hash, Optional<String> fileId,
                      Optional<String> linkTarget) {
    public Version {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(modified, "modified");
        if (kind != EntryKind.FILE && kind != EntryKind.DIRECTORY && kind != EntryKind.SYMLINK) {
            throw new IllegalArgumentException("a two-way sync keeps files, directories and symlinks, not " + kind);
        }
    }

    public static Version file(long size, Instant modified) {
        return new Version(EntryKind.FILE, size, modified, Optional.empty(), Optional.empty(), Optional.empty());
    }

    public static Version directory(Instant modified) {
        return new Version(EntryKind.DIRECTORY, 0, modified, Optional.empty(), Optional.empty(), Optional.empty());
    }

    public static Version symlink(String target, Instant modified) {
        return new Version(EntryKind.SYMLINK, 0, modified, Optional.empty(), Optional.empty(), Optional.of(target));
    }

    public Version withHash(String newHash) {
        return new Version(kind, size, modified, Optional.of(newHash), fileId, linkTarget);
    }

    public Version withFileId(String id) {
        return new Version(kind, size, modified, hash, Optional.of(id), linkTarget);
    }

    public boolean isFile() {
        return kind == EntryKind.FILE;
    }

    public boolean isDirectory() {
        return kind == EntryKind.DIRECTORY;
    }

    /**
     * Whether this (a stat right after a copy) is {@code written} as the target's file system stores it: unchanged
     * since, or the same file with the mtime cut to the target's precision (the sync's skip rule: sshfs keeps whole
     * seconds, FAT two). Anything else is an edit made right after the copy, which must not be recorded as synced.
     */
    public boolean storedAs(Version written) {
        return unchangedSince(written) || (kind == written.kind && kind == EntryKind.FILE && size == written.size
                && dev.duplex.scan.SkipRule.mtimeMatches(written.modified, modified));
    }

    /**
     * The contract's "unchanged": the same type, size and mtime as {@code recorded} (a directory is unchanged while
     * it is a directory; a symlink while it points at the same text).
     */
    public boolean unchangedSince(Version recorded) {
        if (kind != recorded.kind) {
            return false;
        }
        return switch (kind) {
            case DIRECTORY -> true;
            case SYMLINK -> linkTarget.equals(recorded.linkTarget);
            default -> size == recorded.size && modified.equals(recorded.modified);
        };
    }
}
