package dev.duplex.scan;

import dev.duplex.tree.FileMetadata;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Seed 001 §3.2: a destination file is up to date when it has the source's size and mtime. Destinations store
 * mtime at their own precision (ext4 1 ns, NTFS/SMB 100 ns, sftp/sshfs 1 s, FAT 2 s), so an mtime equal to the
 * source's cut to one of those precisions counts as equal; otherwise every run against such a share would copy
 * everything again.
 */
public final class SkipRule {
    private static final List<Duration> PRECISIONS = List.of(Duration.ofNanos(100), Duration.ofNanos(1000),
            Duration.ofMillis(1), Duration.ofSeconds(1));

    private SkipRule() {}

    public static boolean isUpToDate(FileMetadata source, FileMetadata destination) {
        return source.sizeBytes() == destination.sizeBytes()
                && mtimeMatches(source.modified(), destination.modified());
    }

    public static boolean mtimeMatches(Instant source, Instant destination) {
        if (source.equals(destination)) {
            return true;
        }
        for (Duration p : PRECISIONS) {
            if (truncate(source, p).equals(destination)) {
                return true;
            }
        }
        // FAT: 2-second steps, rounded up
        long diffNanos = Duration.between(source, destination).toNanos();
        return destination.getNano() == 0 && destination.getEpochSecond() % 2 == 0
                && diffNanos >= 0 && diffNanos < 2_000_000_000L;
    }

    private static Instant truncate(Instant t, Duration precision) {
        if (precision.equals(Duration.ofSeconds(1))) {
            return t.truncatedTo(ChronoUnit.SECONDS);
        }
        long step = precision.toNanos();
        return Instant.ofEpochSecond(t.getEpochSecond(), t.getNano() - Math.floorMod(t.getNano(), step));
    }
}
