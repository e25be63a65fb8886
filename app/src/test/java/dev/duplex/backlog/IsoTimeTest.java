package dev.duplex.backlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class IsoTimeTest {
    @ParameterizedTest
    @ValueSource(strings = {"1970-01-01T00:00:00Z", "2024-01-01T00:00:00.123456789Z", "2024-02-29T23:59:59.100Z",
            "2024-01-01T00:00:00.000001Z", "9999-12-31T23:59:59.999999999Z", "1969-12-31T23:59:59Z",
            "+10000-01-01T00:00:00Z", "0001-01-01T00:00:00.5Z"})
    void writesAndReadsExactlyWhatInstantDoes(String text) {
        Instant t = Instant.parse(text);
        assertThat(IsoTime.format(t)).isEqualTo(t.toString());
        assertThat(IsoTime.parse(t.toString())).isEqualTo(t);
    }

    @Test
    void agreesWithInstantOnAMillionRandomInstants() {
        SplittableRandom r = new SplittableRandom(20261123);
        for (int i = 0; i < 1_000_000; i++) {
            long second = r.nextLong(-100_000_000_000L, 300_000_000_000L);
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> r.nextInt(1000) * 1_000_000;
                case 2 -> r.nextInt(1_000_000) * 1000;
                default -> r.nextInt(1_000_000_000);
            };
            Instant t = Instant.ofEpochSecond(second, nano);
            String text = IsoTime.format(t);
            assertThat(text).isEqualTo(t.toString());
            assertThat(IsoTime.parse(text)).isEqualTo(t);
        }
    }
}
