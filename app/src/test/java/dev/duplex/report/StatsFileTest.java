package dev.duplex.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatsFileTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    /** A clock that reads T, then T + 2 s. */
    private static Clock ticking() {
        return new Clock() {
            private int calls;

            @Override
            public Instant instant() {
                return calls++ == 0 ? T : T.plusSeconds(2);
            }

            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        };
    }

    @Test
    void rendersCountersGaugesPerDestinationSamplesAndTheRate() {
        TransferStats stats = new TransferStats();
        stats.backlog(5, 1000, 0);
        stats.read(600);
        stats.written(0, 600);
        stats.written(1, 400);
        stats.copied(600);
        stats.failed();
        stats.queueDepths(List.of(() -> 3, () -> 7));
        StatsFile f = new StatsFile(Path.of("/x.prom"), stats, ticking(), List.of("/a", "/b \"q\""),
                "nightly.db", m -> { });
        String text = f.render(stats.snapshot(), Optional.empty());
        String job = "{duplex_job=\"nightly.db\"}";
        assertThat(text.lines()).contains(
                "duplex_running" + job + " 1",
                "duplex_run_start_time_seconds" + job + " 1767225600",
                "duplex_bytes_read_total" + job + " 600",
                "duplex_files_copied_total" + job + " 1",
                "duplex_files_failed_total" + job + " 1",
                "duplex_pending_files" + job + " 3",
                "duplex_pending_bytes" + job + " 400",
                "duplex_rate_bytes_per_second" + job + " 300",
                "duplex_bytes_written_total{duplex_job=\"nightly.db\",destination=\"dest\",path=\"/a\"} 600",
                "duplex_bytes_written_total{duplex_job=\"nightly.db\",destination=\"dest2\",path=\"/b \\\"q\\\"\"} 400",
                "duplex_queue_depth{duplex_job=\"nightly.db\",destination=\"dest2\",path=\"/b \\\"q\\\"\"} 7");
        assertThat(text).doesNotContain("duplex_exit_code");
        f.close();
    }

    @Test
    void theFinalWriteCarriesTheExitCodeAndRunningZero() {
        TransferStats stats = new TransferStats();
        StatsFile f = new StatsFile(Path.of("/x.prom"), stats, ticking(), List.of("/a"), "j", m -> { });
        String text = f.render(stats.snapshot(), Optional.of(1));
        assertThat(text.lines()).contains("duplex_running{duplex_job=\"j\"} 0", "duplex_exit_code{duplex_job=\"j\"} 1");
        f.close();
    }

    @Test
    void aSharedJobsSamplesCarryTheHost() {
        TransferStats stats = new TransferStats();
        StatsFile f = new StatsFile(Path.of("/x.prom"), stats, ticking(), List.of("/a"), "postgresql://db:5432/j",
                Optional.of("node-3"), m -> { });
        String text = f.render(stats.snapshot(), Optional.of(0));
        assertThat(text.lines()).contains("duplex_running{duplex_job=\"postgresql://db:5432/j\",duplex_host=\"node-3\"} 0");
        f.close();
    }

    @Test
    void escapesLabelValues() {
        assertThat(StatsFile.escape("a\\b\"c\nd")).isEqualTo("a\\\\b\\\"c\\nd");
    }
}
