package dev.duplex.cli;

import dev.duplex.job.Location;
import dev.duplex.job.RunOutcome;
import dev.duplex.job.SyncOptions;
import dev.duplex.report.JsonSummary;
import dev.duplex.report.QuietListener;
import dev.duplex.report.RunSummary;
import dev.duplex.report.StatsFile;
import dev.duplex.report.TransferListener;
import dev.duplex.report.TransferStats;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The sync command's options for unattended runs: {@code --json-summary}, {@code --stats-file},
 * {@code --stats-interval}, {@code -v}, {@code -q}; and what they do around a run.
 */
public final class RunReporting {
    /** A sync run, as the command runs it. */
    interface SyncRun {
        RunSummary run() throws InterruptedException;
    }

    @Option(names = "--json-summary", paramLabel = "PATH",
            description = "Also write the final summary as one JSON object to PATH (replaced atomically), for CI "
                    + "scripts: outcome, exit_code, counts, bytes, duration, rate; written for failed, locked and "
                    + "interrupted runs too, with 'error'.")
    private Path jsonSummary;

    @Option(names = "--stats-file", paramLabel = "PATH",
            description = "Write Prometheus text-format metrics (duplex_*; see README) to PATH, replaced "
                    + "atomically every --stats-interval and at the end: for node_exporter's textfile collector "
                    + "(name it *.prom in its directory).")
    private Path statsFile;

    @Option(names = "--stats-interval", paramLabel = "DURATION", defaultValue = "5s",
            converter = DurationConverter.class,
            description = "How often --stats-file is rewritten. Default: ${DEFAULT-VALUE}.")
    private Duration statsInterval;

    @Option(names = {"-v", "--verbose"},
            description = "More detail in the diagnostic log (<db name>.log): -v DEBUG, -vv TRACE. The console "
                    + "is unchanged.")
    private boolean[] verbose = new boolean[0];

    @Option(names = {"-q", "--quiet"},
            description = "No progress lines and no notices; warnings, failed files and the final summary are "
                    + "still printed.")
    private boolean quiet;

    int verbosity() {
        return verbose.length;
    }

    /** The printer, or with -q only its warnings and failures. */
    TransferListener listener(TransferListener printer) {
        return quiet ? new QuietListener(printer) : printer;
    }

    /** @return a problem with these options, for a usage error */
    Optional<String> problem() {
        if (statsInterval.isZero() || statsInterval.isNegative()) {
            return Optional.of("--stats-interval must be longer than 0");
        }
        return Optional.empty();
    }

    /**
     * Runs {@code run} with the stats file ticking, then writes the final stats and the JSON summary however the
     * run ends (a failure is rethrown after).
     */
    RunSummary around(SyncOptions options, TransferStats stats, Clock clock, PrintWriter err, SyncRun run)
            throws InterruptedException {
        Instant started = clock.instant();
        Optional<StatsFile> statsWriter = Optional.ofNullable(statsFile).map(p -> new StatsFile(p.toAbsolutePath(), stats,
                clock, options.destinations().stream().map(Location::name).toList(),
                options.shared().map(d -> d.database().describe()).orElse(options.dbPath().getFileName().toString()),
                options.shared().map(d -> dev.duplex.backlog.SharedBacklog.Worker.localHost()),
                message -> warn(err, message)).start(statsInterval));
        try {
            RunSummary summary = run.run();
            ended(options, clock, started, RunOutcome.of(summary), Optional.of(summary), Optional.empty(), statsWriter,
                    err);
            return summary;
        } catch (InterruptedException | RuntimeException e) {
            ended(options, clock, started, RunOutcome.of(e), Optional.empty(),
                    Optional.of(String.valueOf(e.getMessage())), statsWriter, err);
            throw e;
        }
    }

    private void ended(SyncOptions options, Clock clock, Instant started, RunOutcome outcome,
                       Optional<RunSummary> summary, Optional<String> error, Optional<StatsFile> stats,
                       PrintWriter err) {
        stats.ifPresent(s -> s.finish(outcome.exitCode()));
        if (jsonSummary == null) {
            return;
        }
        JsonSummary json = new JsonSummary(VersionProvider.version(), started, clock.instant(), outcome.dbValue(),
                outcome.exitCode(), summary, options.source().name(),
                options.destinations().stream().map(Location::name).toList(), options.dbPath().toString(), error);
        try {
            json.writeTo(jsonSummary.toAbsolutePath());
        } catch (IOException e) {
            warn(err, "cannot write the JSON summary " + jsonSummary + ": " + e.getMessage());
        }
    }

    private static void warn(PrintWriter err, String message) {
        synchronized (err) {
            err.println("warning: " + message);
            err.flush();
        }
    }
}
