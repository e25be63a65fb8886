package dev.duplex.digest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class HashAlgorithmTest {
    /** Known vectors for "abc" (RFC 1321, FIPS 180-2, RFC 7693 appendix A). */
    @ParameterizedTest
    @CsvSource({
        "MD5, 900150983cd24fb0d6963f7d28e17f72",
        "SHA1, a9993e364706816aba3e25717850c26c9cd0d89d",
        "SHA256, ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        "BLAKE2B, ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
            + "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923"})
    void matchesKnownVectors(HashAlgorithm algorithm, String hex) {
        HashAlgorithm.FileHasher h = algorithm.newHasher();
        h.update(ByteBuffer.wrap("abc".getBytes(StandardCharsets.US_ASCII)));
        assertThat(h.finishHex()).isEqualTo(hex);
    }

    @ParameterizedTest
    @EnumSource(HashAlgorithm.class)
    void hashesDirectBuffersInPiecesLikeOneHeapBuffer(HashAlgorithm algorithm) {
        byte[] data = new byte[300_000];
        new Random(7).nextBytes(data);
        HashAlgorithm.FileHasher whole = algorithm.newHasher();
        whole.update(ByteBuffer.wrap(data));
        HashAlgorithm.FileHasher pieces = algorithm.newHasher();
        ByteBuffer direct = ByteBuffer.allocateDirect(data.length).put(data).flip();
        direct.limit(100_001);
        pieces.update(direct);
        direct.limit(data.length);
        pieces.update(direct);
        assertThat(pieces.finishHex()).isEqualTo(whole.finishHex());
    }

    @Test
    void emptyInputHashesLikeSha256sumOfNothing() {
        assertThat(HashAlgorithm.SHA256.newHasher().finishHex())
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
}
