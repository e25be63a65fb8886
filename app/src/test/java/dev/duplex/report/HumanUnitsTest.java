package dev.duplex.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HumanUnitsTest {
    @ParameterizedTest
    @CsvSource({"0,0 B", "1023,1023 B", "1024,1.0 KiB", "1536,1.5 KiB", "5242880,5.0 MiB",
        "1073741824,1.0 GiB", "214748364800,200 GiB"})
    void formatsBytesInBinaryUnits(long bytes, String text) {
        assertThat(HumanUnits.bytes(bytes)).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource({"0,0s", "59,59s", "61,1:01", "3600,1:00:00", "90061,1d 01:01:01"})
    void formatsDurations(long seconds, String text) {
        assertThat(HumanUnits.duration(Duration.ofSeconds(seconds))).isEqualTo(text);
    }
}
