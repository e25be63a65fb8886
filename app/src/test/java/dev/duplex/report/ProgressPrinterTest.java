package dev.duplex.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ProgressPrinterTest {
    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        void advance(Duration d) {
            now.updateAndGet(t -> t.plus(d));
        }
    }

    @Test
    void transferLineShowsFileRateEtasAndTotals() {
        TransferStats stats = new TransferStats();
        ManualClock clock = new ManualClock();
        StringWriter out = new StringWriter();
        try (ProgressPrinter p = new ProgressPrinter(new PrintWriter(out), new PrintWriter(new StringWriter()), false,
                stats, clock, Duration.ofHours(1))) {
            stats.backlog(2, 100L << 20, 50L << 20);
            p.phaseStarted(TransferListener.Phase.TRANSFER);
            stats.startFile("/src/big.bin", 80L << 20);
            stats.read(20L << 20);
            clock.advance(Duration.ofSeconds(2));
            String line = p.statusLine();
            assertThat(line).contains("copying /src/big.bin").contains("10.0 MiB/s").contains("file ETA 6s")
                    .contains("backlog ETA 8s").contains("20.0 MiB this run, 50.0 MiB of 150 MiB synced")
                    .contains("files 0/2");
        }
    }

    @Test
    void withTwoDestinationsEachOnesRateAndQueueDepthIsShown() {
        TransferStats stats = new TransferStats();
        ManualClock clock = new ManualClock();
        try (ProgressPrinter p = new ProgressPrinter(new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()), false, stats, clock, Duration.ofHours(1))) {
            stats.queueDepths(java.util.List.of(() -> 3, () -> 20));
            p.phaseStarted(TransferListener.Phase.TRANSFER);
            stats.written(0, 8L << 20);
            stats.written(1, 2L << 20);
            clock.advance(Duration.ofSeconds(1));
            assertThat(p.statusLine()).endsWith("[DEST 8.0 MiB/s queue 3, DEST2 2.0 MiB/s queue 20]");
        }
    }

    @Test
    void scanLineCountsBothSides() {
        TransferStats stats = new TransferStats();
        stats.sourceFileScanned(2048);
        stats.destFileScanned();
        try (ProgressPrinter p = new ProgressPrinter(new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()), false, stats, new ManualClock(), Duration.ofHours(1))) {
            p.phaseStarted(TransferListener.Phase.SCAN);
            assertThat(p.statusLine()).isEqualTo("scanning: source 1 files (2.0 KiB), destination 1 files, 0 pending (0 B)");
        }
    }

    @Test
    void onATerminalTheStatusLineIsRewrittenAndClearedBeforeEvents() {
        TransferStats stats = new TransferStats();
        StringWriter out = new StringWriter();
        try (ProgressPrinter p = new ProgressPrinter(new PrintWriter(out), new PrintWriter(new StringWriter()), true,
                stats, new ManualClock(), Duration.ofHours(1))) {
            p.phaseStarted(TransferListener.Phase.SCAN);
            p.tick();
            p.notice("scan done");
        }
        assertThat(out.toString()).startsWith("\rscanning: source 0 files").contains("\r\u001b[Kscan done");
    }

    @Test
    void withoutATerminalEachTickIsOnePlainLine() {
        TransferStats stats = new TransferStats();
        StringWriter out = new StringWriter();
        try (ProgressPrinter p = new ProgressPrinter(new PrintWriter(out), new PrintWriter(new StringWriter()), false,
                stats, new ManualClock(), Duration.ofHours(1))) {
            p.phaseStarted(TransferListener.Phase.SCAN);
            p.tick();
            p.tick();
        }
        assertThat(out.toString().lines()).hasSize(2).allMatch(l -> l.startsWith("scanning:"))
                .noneMatch(l -> l.contains("\r"));
    }
}
