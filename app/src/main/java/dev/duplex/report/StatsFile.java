package dev.duplex.report;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code --stats-file PATH}: the run's counters in Prometheus text format, rewritten whole (temp file + rename)
 * every {@code interval} by a daemon thread and once more at the end, for node_exporter's textfile collector.
 * Metric names are listed in the README. Thread-safe: writes hold this object's lock.
 */
public final class StatsFile implements AutoCloseable {
    private final Path target;
    private final TransferStats stats;
    private final Clock clock;
    private final List<String> destinations;
    private final String job;
    private final Instant started;
    private final Consumer<String> warn;
    private final ScheduledExecutorService ticker;
    private long lastBytesRead;
    private Instant lastTime;
    private double rate;
    private boolean warned;
    private final java.util.Optional<String> host;

    /**
     * @param job the value of the {@code duplex_job} label (the db's file name), to tell jobs apart
     * @param warn told once if the file cannot be written (the run goes on)
     */
    public StatsFile(Path target, TransferStats stats, Clock clock, List<String> destinations, String job,
                     Consumer<String> warn) {
        this(target, stats, clock, destinations, job, java.util.Optional.empty(), warn);
    }

    /**
     * @param host the value of the {@code duplex_host} label on every sample: a job shared by several hosts
     *     (PostgreSQL), whose stats files are collected from each of them
     */
    public StatsFile(Path target, TransferStats stats, Clock clock, List<String> destinations, String job,
                     java.util.Optional<String> host, Consumer<String> warn) {
        this.host = host;
        this.target = target;
        this.stats = stats;
        this.clock = clock;
        this.destinations = List.copyOf(destinations);
        this.job = job;
        this.warn = warn;
        this.started = clock.instant();
        this.lastTime = started;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "duplex-stats");
            t.setDaemon(true);
            return t;
        });
    }

    /** Writes the file now and then every {@code interval} until {@link #finish} or {@link #close}. */
    public StatsFile start(Duration interval) {
        write(Optional.empty());
        long ms = interval.toMillis();
        ticker.scheduleAtFixedRate(() -> write(Optional.empty()), ms, ms, TimeUnit.MILLISECONDS);
        return this;
    }

    /** Stops the ticks and writes the final values with the run's exit code. */
    public void finish(int exitCode) {
        ticker.shutdownNow();
        write(Optional.of(exitCode));
    }

    private synchronized void write(Optional<Integer> exitCode) {
        try {
            ReplacedFile.write(target, render(stats.snapshot(), exitCode));
        } catch (IOException | RuntimeException e) {
            if (!warned) {
                warned = true;
                warn.accept("cannot write the stats file " + target + ": " + e.getMessage() + " (the run goes on)");
            }
        }
    }

    /** The file's content for one snapshot; {@code exitCode} is present once the run has ended. */
    synchronized String render(TransferStats.Snapshot s, Optional<Integer> exitCode) {
        Instant now = clock.instant();
        double seconds = Duration.between(lastTime, now).toMillis() / 1000.0;
        if (seconds > 0) {
            rate = (s.bytesRead() - lastBytesRead) / seconds;
            lastBytesRead = s.bytesRead();
            lastTime = now;
        }
        Metrics m = new Metrics("duplex_job=\"" + escape(job) + "\""
                + host.map(h -> ",duplex_host=\"" + escape(h) + "\"").orElse(""));
        m.gauge("duplex_running", "1 while the run is going, 0 once it has ended", exitCode.isEmpty() ? 1 : 0);
        m.gauge("duplex_run_start_time_seconds", "when the run started (Unix time)", epoch(started));
        m.gauge("duplex_last_update_time_seconds", "when this file was written (Unix time)", epoch(now));
        exitCode.ifPresent(c -> m.gauge("duplex_exit_code", "the run's exit code (present once it has ended)", c));
        m.counter("duplex_bytes_read_total", "bytes read from the source", s.bytesRead());
        m.counter("duplex_bytes_copied_total", "bytes of files committed on every destination", s.bytesCommitted());
        m.counter("duplex_files_copied_total", "files committed on every destination", s.filesCopied());
        m.counter("duplex_files_skipped_total", "files found up to date by the scan", s.filesSkipped());
        m.counter("duplex_files_failed_total", "files that failed (they stay pending)", s.filesFailed());
        m.counter("duplex_files_deferred_total", "files deferred by --stable-for or a change while read",
                s.filesDeferred());
        m.counter("duplex_files_deleted_total", "destination entries deleted by --delete-extras", s.filesDeleted());
        m.counter("duplex_retries_total", "retries of source files that failed to open", s.retries());
        long handled = s.filesCopied() + s.filesFailed() + s.filesDeferred() + s.filesVanished();
        m.gauge("duplex_pending_files", "backlog files not yet handled in this run",
                Math.max(0, s.backlogFiles() - handled));
        m.gauge("duplex_pending_bytes", "backlog bytes not yet read in this run",
                Math.max(0, s.backlogBytes() - s.bytesRead()));
        m.gauge("duplex_rate_bytes_per_second", "read rate since the previous write of this file", rate);
        long[] written = {s.bytesWrittenDest1(), s.bytesWrittenDest2()};
        m.help("duplex_bytes_written_total", "counter", "bytes written to each destination");
        for (int i = 0; i < destinations.size(); i++) {
            m.sample("duplex_bytes_written_total", destination(i), written[i]);
        }
        m.help("duplex_queue_depth", "gauge", "blocks waiting in each destination's queue");
        for (int i = 0; i < destinations.size(); i++) {
            int[] depths = s.queueDepths();
            m.sample("duplex_queue_depth", destination(i), i < depths.length ? depths[i] : 0);
        }
        return m.text();
    }

    private String destination(int i) {
        return "destination=\"" + (i == 0 ? "dest" : "dest2") + "\",path=\"" + escape(destinations.get(i))
                + "\"";
    }

    private static double epoch(Instant t) {
        return t.toEpochMilli() / 1000.0;
    }

    /** Prometheus label values escape backslash, double quote and newline. */
    static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }

    /** Builds the text exposition format: HELP and TYPE lines, then samples with the common label. */
    private static final class Metrics {
        private final StringBuilder b = new StringBuilder(2048);
        private final String common;

        Metrics(String common) {
            this.common = common;
        }

        void gauge(String name, String help, double value) {
            help(name, "gauge", help);
            sample(name, "", value);
        }

        void counter(String name, String help, double value) {
            help(name, "counter", help);
            sample(name, "", value);
        }

        void help(String name, String type, String help) {
            b.append("# HELP ").append(name).append(' ').append(help).append('\n');
            b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        }

        void sample(String name, String labels, double value) {
            b.append(name).append('{').append(common);
            if (!labels.isEmpty()) {
                b.append(',').append(labels);
            }
            b.append("} ").append(number(value)).append('\n');
        }

        private static String number(double v) {
            return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.3f", v);
        }

        String text() {
            return b.toString();
        }
    }
}
