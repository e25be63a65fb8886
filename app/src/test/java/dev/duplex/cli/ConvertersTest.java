package dev.duplex.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.duplex.digest.HashAlgorithm;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class ConvertersTest {
    @ParameterizedTest
    @CsvSource({"0,0", "1,1", "1024,1024", "4K,4096", "4k,4096", "5M,5242880", "1G,1073741824", "1.5M,1572864",
        "2T,2199023255552", "64KiB,65536", "10MB,10485760"})
    void parsesSizesInPowersOf1024(String text, long bytes) {
        assertThat(new SizeConverter().convert(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "fast", "-1", "5X", "1.5", "M"})
    void rejectsWhatIsNotASize(String text) {
        assertThatThrownBy(() -> new SizeConverter().convert(text))
                .isInstanceOf(TypeConversionException.class).hasMessageContaining("'" + text + "'");
    }

    @ParameterizedTest
    @CsvSource({"0,0", "20M,20971520", "512K/s,524288", "1G,1073741824"})
    void parsesRates(String text, long bytesPerSecond) {
        assertThat(new RateConverter().convert(text)).isEqualTo(bytesPerSecond);
    }

    @ParameterizedTest
    @ValueSource(strings = {"fast", "20 Mbit", "-5M"})
    void rejectsWhatIsNotARate(String text) {
        assertThatThrownBy(() -> new RateConverter().convert(text))
                .isInstanceOf(TypeConversionException.class).hasMessageContaining("is not a rate");
    }

    @ParameterizedTest
    @CsvSource({"0,0", "30,30000", "30s,30000", "5m,300000", "2h,7200000", "1d,86400000", "250ms,250", "PT1M,60000"})
    void parsesDurations(String text, long millis) {
        assertThat(new DurationConverter().convert(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "5 years", "-5s", "PT-5S"})
    void rejectsWhatIsNotADuration(String text) {
        assertThatThrownBy(() -> new DurationConverter().convert(text))
                .isInstanceOf(TypeConversionException.class).hasMessageContaining("is not a duration");
    }

    @ParameterizedTest
    @CsvSource({"md5,MD5", "sha1,SHA1", "SHA-256,SHA256", "sha256,SHA256", "blake2b,BLAKE2B"})
    void mapsChecksumNames(String text, HashAlgorithm algorithm) {
        assertThat(new ChecksumConverter().convert(text)).isEqualTo(algorithm);
    }

    @org.junit.jupiter.api.Test
    void namesTheChoicesForAnUnknownChecksum() {
        assertThatThrownBy(() -> new ChecksumConverter().convert("crc32"))
                .hasMessageContaining("md5, sha1, sha256, blake2b");
    }
}
