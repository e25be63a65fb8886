package dev.duplex.cli;

import dev.duplex.job.JobRecords;
import dev.duplex.report.JobStatus;
import dev.duplex.report.StatusPrinter;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code duplex status}: a job's state from its db alone, also while a run is going. */
@Command(name = "status", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        header = "Shows a job's state from its db, without touching any share.",
        description = {
            "Shows a job's state from its db alone, without touching any share: files and bytes synced and "
                    + "pending (and failing), the last run (start, end, exit code, average rate, or 'running "
                    + "now'), the largest pending files and the files that keep failing with their last error. "
                    + "Safe while a run is going (the db is read, never written or locked).",
            ""},
        footer = {
            "",
            "Exit codes: 0 status shown (also for a job that never ran),",
            "  2 usage error, 4 db unreadable.",
            "",
            "Examples:",
            "  duplex status /mnt/src /mnt/dst     (the job 'duplex /mnt/src /mnt/dst' runs)",
            "  duplex status --db /var/lib/duplex/nightly.db",
            "  duplex status --json /mnt/src /mnt/dst | jq .pending.files"})
public final class StatusCommand implements Callable<Integer> {
    private final RunEnvironment environment;

    @Spec
    private CommandSpec spec;

    @Mixin
    private JobSelector job;

    /** Accepted (and not needed: this reads the db only), so that one wrapper can pass the same options. */
    @Mixin
    private RemoteOptions remote;

    @Option(names = "--json", description = "Print one JSON object (for scripts) instead of text.")
    private boolean json;

    @Option(names = "--top", paramLabel = "N", defaultValue = "10",
            description = "How many largest pending and failing files to list. Default: ${DEFAULT-VALUE}.")
    private int top;

    @Mixin
    private ConfigOption config;

    public StatusCommand(RunEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        JobSelector.Job j = job.resolve(environment, spec);
        PrintWriter out = spec.commandLine().getOut();
        if (j.shared().isPresent()) {
            print(out, JobRecords.status(j.shared().get(), Math.max(0, top)));
            return ExitCode.SYNCED.code();
        }
        if (!JobRecords.exists(j.db())) {
            if (json) {
                out.println("{\"db\":" + quoted(j.db().toString()) + ",\"exists\":false}");
            } else {
                out.println("no job db at " + j.db() + ": this job has not run yet (or give the right --db)");
            }
            out.flush();
            return ExitCode.SYNCED.code();
        }
        print(out, JobRecords.status(j.db(), Math.max(0, top)));
        return ExitCode.SYNCED.code();
    }

    private void print(PrintWriter out, JobStatus status) {
        if (json) {
            StatusPrinter.printJson(out, status);
        } else {
            StatusPrinter.printText(out, status);
        }
    }

    private static String quoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
