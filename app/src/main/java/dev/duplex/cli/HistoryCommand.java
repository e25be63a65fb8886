package dev.duplex.cli;

import dev.duplex.job.JobRecords;
import dev.duplex.report.HistoryPrinter;
import dev.duplex.report.RunRow;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code duplex history}: the runs recorded in a job's db, newest first. */
@Command(name = "history", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        header = "Lists the runs recorded in a job's db.",
        description = {
            "Lists the runs recorded in a job's db (table 'runs'), newest first: start, duration, exit code, "
                    + "outcome, files and bytes copied, failures, files left pending and the average rate. A run "
                    + "without a recorded end is still going, or was killed. Dry runs are not recorded.",
            ""},
        footer = {
            "",
            "Exit codes: 0 history shown, 2 usage error, 4 db missing or unreadable.",
            "",
            "Examples:",
            "  duplex history /mnt/src /mnt/dst",
            "  duplex history --limit 5 --db /var/lib/duplex/nightly.db",
            "  duplex history --json /mnt/src /mnt/dst | jq '.runs[] | select(.exit_code != 0)'"})
public final class HistoryCommand implements Callable<Integer> {
    private final RunEnvironment environment;

    @Spec
    private CommandSpec spec;

    @Mixin
    private JobSelector job;

    /** Accepted (and not needed: this reads the db only), so that one wrapper can pass the same options. */
    @Mixin
    private RemoteOptions remote;

    @Option(names = "--json", description = "Print one JSON object {\"runs\": [...]} instead of a table.")
    private boolean json;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
            description = "Show at most N runs. Default: ${DEFAULT-VALUE}.")
    private int limit;

    @Mixin
    private ConfigOption config;

    public HistoryCommand(RunEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        JobSelector.Job j = job.resolve(environment, spec);
        List<RunRow> runs = j.shared().isPresent() ? JobRecords.history(j.shared().get(), Math.max(1, limit))
                : JobRecords.history(j.db(), Math.max(1, limit));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            HistoryPrinter.printJson(out, runs);
        } else {
            HistoryPrinter.printText(out, runs);
        }
        return ExitCode.SYNCED.code();
    }
}
