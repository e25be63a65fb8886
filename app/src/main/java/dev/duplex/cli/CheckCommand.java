package dev.duplex.cli;

import dev.duplex.job.CheckJob;
import dev.duplex.job.CheckOptions;
import dev.duplex.report.CheckPrinter;
import dev.duplex.report.CheckSummary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code duplex check}: proves the copies still hold what the db says was copied. */
@Command(name = "check", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        header = "Re-reads the copies and compares them with the hashes in the db.",
        description = {
            "Re-reads every copy the db records as synced, on each destination, recomputes the algorithm "
                    + "recorded for it and compares with the hash in the db (like 'rclone check'). With "
                    + "--against-source the source files are re-read and compared too. Prints one line per "
                    + "problem: MISMATCH (size or hash differs), MISSING (copy not there), UNREADABLE; then a "
                    + "summary. Holds the job lock (a sync cannot run meanwhile) and never writes the db or a "
                    + "share. Files not synced yet are not checked.",
            ""},
        footer = {
            "",
            "Exit codes: 0 every copy matches, 1 some mismatch, missing or unreadable file,",
            "  2 usage error, 3 a sync of this job is running, 4 db missing or destination root missing.",
            "",
            "Examples:",
            "  duplex check /mnt/src /mnt/dst",
            "  duplex check --bwlimit 50M --against-source /mnt/src /mnt/a /mnt/b",
            "  duplex check --db /var/lib/duplex/nightly.db"})
public final class CheckCommand implements Callable<Integer> {
    private static final int READ_BYTES = 1 << 20;

    private final RunEnvironment environment;

    @Spec
    private CommandSpec spec;

    @Mixin
    private JobSelector job;

    @Option(names = "--against-source",
            description = "Also re-read each source file and compare it with the db (a source changed since it "
                    + "was copied counts as a mismatch).")
    private boolean againstSource;

    @Option(names = "--bwlimit", paramLabel = "RATE", defaultValue = "0", converter = RateConverter.class,
            description = "Maximum bytes per second read, over all files (K, M, G = powers of 1024). "
                    + "0 = unlimited (default).")
    private long bwlimit;

    @Option(names = {"-v", "--verbose"}, description = "Also print a line for each copy that matches.")
    private boolean verbose;

    @Mixin
    private RemoteOptions remote;

    @Mixin
    private ConfigOption config;

    public CheckCommand(RunEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws InterruptedException {
        JobSelector.Job j = job.resolve(environment, spec);
        if (j.shared().isPresent()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "check of a job shared through "
                    + "PostgreSQL is not supported yet; status and history are");
        }
        PrintWriter out = spec.commandLine().getOut();
        // with --db alone the roots come from the db, and may be endpoints: the token is read whenever given
        CheckOptions options = new CheckOptions(j.db(), j.source(), j.destinations(), againstSource, bwlimit,
                READ_BYTES, remote.client(environment.env(), 3, java.time.Duration.ofSeconds(1), 0, true));
        CheckSummary summary = new CheckJob(options, new CheckPrinter(out, verbose)).run();
        summary.print(out);
        return (summary.allMatch() ? ExitCode.SYNCED : ExitCode.FILES_FAILED).code();
    }
}
