package dev.duplex.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.tree.FileMetadata;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SkipRuleTest {
    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @CsvSource({
        "2024-01-01T00:00:00.123456789Z, 2024-01-01T00:00:00.123456789Z, true",
        "2024-01-01T00:00:00.123456789Z, 2024-01-01T00:00:00.123456700Z, true",  // NTFS/SMB 100 ns
        "2024-01-01T00:00:00.123456789Z, 2024-01-01T00:00:00.123456Z, true",     // microseconds
        "2024-01-01T00:00:00.123456789Z, 2024-01-01T00:00:00.123Z, true",        // milliseconds
        "2024-01-01T00:00:00.123456789Z, 2024-01-01T00:00:00Z, true",            // sftp/sshfs seconds
        "2024-01-01T00:00:01.5Z, 2024-01-01T00:00:02Z, true",                    // FAT rounds up to 2 s
        "2024-01-01T00:00:00.123456789Z, 2024-01-01T00:00:01Z, false",
        "2024-01-01T00:00:00.123456789Z, 2024-01-01T00:00:00.123456788Z, false",
        "2024-01-01T00:00:00Z, 2024-01-01T00:00:00.5Z, false",
        "2024-01-01T00:00:05Z, 2024-01-01T00:00:04Z, false"})
    void mtimeMatchesAtTheDestinationsPrecision(Instant source, Instant dest, boolean matches) {
        assertThat(SkipRule.mtimeMatches(source, dest)).isEqualTo(matches);
    }

    @ParameterizedTest
    @CsvSource({"10,10,true", "10,11,false", "0,0,true"})
    void sizeMustBeEqual(long sourceSize, long destSize, boolean upToDate) {
        Instant t = Instant.parse("2024-01-01T00:00:00Z");
        assertThat(SkipRule.isUpToDate(meta(sourceSize, t), meta(destSize, t))).isEqualTo(upToDate);
    }

    private static FileMetadata meta(long size, Instant mtime) {
        return new FileMetadata(size, mtime, mtime, Optional.empty(), Optional.empty(), "0644");
    }
}
