package dev.duplex.transfer;

import dev.duplex.digest.HashAlgorithm;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WrittenHashTest {
    @TempDir
    Path tmp;

    /** Mapped (local disks) or read back (shares): the hash of the bytes in the file, block after block. */
    @ParameterizedTest(name = "map the temp file: {0}")
    @ValueSource(booleans = {true, false})
    void hashesWhatTheTempFileHoldsBlockByBlockAndStartsAfreshForTheNextFile(boolean mapTemp) throws Exception {
        byte[] content = new byte[10 * 65_536 + 123];
        new Random(3).nextBytes(content);
        Path temp = Files.write(tmp.resolve("t"), content);
        try (WrittenHash hash = new WrittenHash(HashAlgorithm.SHA256, mapTemp)) {
            for (int offset = 0; offset < content.length; offset += 65_536) {
                hash.add(temp, offset, Math.min(65_536, content.length - offset));
            }
            assertThat(hash.finish()).isEqualTo(sha256(content));
            Path next = Files.write(tmp.resolve("u"), new byte[] {1, 2, 3});
            hash.add(next, 0, 3);
            assertThat(hash.finish()).isEqualTo(sha256(new byte[] {1, 2, 3}));
        }
    }

    @Test
    void aFileWithoutBlocksHasNoHash() {
        try (WrittenHash hash = new WrittenHash(HashAlgorithm.SHA256)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(hash::finish).isInstanceOf(java.io.IOException.class);
        }
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
