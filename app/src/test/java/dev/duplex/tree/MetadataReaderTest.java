package dev.duplex.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MetadataReaderTest {
    @ParameterizedTest
    @CsvSource({"0, 0000", "420, 0644", "493, 0755", "2541, 4755", "4095, 7777", "8, 0010"})
    void writesModeBitsAsFourOctalDigits(int bits, String text) {
        assertThat(MetadataReader.octal(bits)).isEqualTo(text);
    }

    @Test
    void recordsTheModeOfAFile(@TempDir Path tmp) throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "no POSIX modes here");
        Path f = Files.writeString(tmp.resolve("f"), "x");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        MetadataReader.Stat stat = MetadataReader.stat(f);
        assertThat(stat.kind()).isEqualTo(EntryKind.FILE);
        assertThat(stat.metadata().permissions()).isEqualTo("0640");
        assertThat(stat.metadata().sizeBytes()).isEqualTo(1);
    }
}
