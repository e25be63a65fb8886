package dev.duplex.tree;

import java.time.Instant;
import java.util.Optional;

/**
 * What is recorded about a source file: size, times and permission bits (recorded for audit, never applied).
 *
 * @param changed the POSIX ctime where the platform exposes it
 * @param permissions octal mode such as {@code 0644}, or DOS attributes on Windows
 * @param fileId the file's identity on its file system (device and inode), where a walk read it: how a two-way
 *     sync tells a renamed file from a new one
 */
public record FileMetadata(long sizeBytes, Instant modified, Instant accessed, Optional<Instant> created,
                           Optional<Instant> changed, String permissions, Optional<String> fileId) {
    public FileMetadata(long sizeBytes, Instant modified, Instant accessed, Optional<Instant> created,
                        Optional<Instant> changed, String permissions) {
        this(sizeBytes, modified, accessed, created, changed, permissions, Optional.empty());
    }

    /** True when size and mtime are equal: the identity of a file version for skip and hash preservation. */
    public boolean sameVersionAs(FileMetadata other) {
        return sizeBytes == other.sizeBytes && modified.equals(other.modified);
    }
}
