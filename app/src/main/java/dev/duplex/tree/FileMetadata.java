package dev.duplex.tree;

import java.time.Instant;
import java.util.Optional;

/**
 * What is recorded about a source file: size, times and permission bits (recorded for audit, never applied).
 *
 * @param changed the POSIX ctime where the platform exposes it
 * @param permissions octal mode such as {@code 0644}, or DOS attributes on Windows
 */
public record FileMetadata(long sizeBytes, Instant modified, Instant accessed, Optional<Instant> created,
                           Optional<Instant> changed, String permissions) {

    /** True when size and mtime are equal: the identity of a file version for skip and hash preservation. */
    public boolean sameVersionAs(FileMetadata other) {
        return sizeBytes == other.sizeBytes && modified.equals(other.modified);
    }
}
