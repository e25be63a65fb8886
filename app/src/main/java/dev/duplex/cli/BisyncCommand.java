package dev.duplex.cli;

import dev.duplex.bisync.Action;
import dev.duplex.bisync.BisyncCounts;
import dev.duplex.bisync.ConflictMode;
import dev.duplex.bisync.ReconcileOptions;
import dev.duplex.bisync.Side;
import dev.duplex.digest.HashAlgorithm;
import dev.duplex.job.BisyncJob;
import dev.duplex.job.BisyncOptions;
import dev.duplex.job.JobFiles;
import dev.duplex.job.Location;
import dev.duplex.notify.BisyncMail;
import dev.duplex.notify.MailSettings;
import dev.duplex.notify.Mailer;
import dev.duplex.remote.ClientOptions;
import dev.duplex.report.Json;
import dev.duplex.tree.RelPath;
import dev.duplex.watch.BisyncWatch;
import java.io.PrintWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code duplex bisync [OPTIONS] LEFT RIGHT}: the two-way sync. */
@Command(name = "bisync", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Two-way sync: a change on either side (new, changed, deleted, renamed) is carried to the other, judged "
                    + "against what the job's db recorded at the end of the last run. The first run makes both "
                    + "sides the union of the two and deletes nothing.",
            "",
            "A file changed on both sides is a conflict (--conflict-changed): by default both versions are kept "
                    + "on both sides, the older as NAME_clash_YYYYMMDDHHMM.EXT. Deleted files of up to "
                    + "--soft-delete-max go to ROOT/.sync_trash/RUN-TIME/ on their side. A root that is missing, "
                    + "or empty while the db records files for it, and a run that would delete more than "
                    + "--max-delete, change nothing (exit 4).",
            ""},
        footer = {
            "",
            "Exit codes: 0 both sides agree; 1 a file failed or a conflict was left (skip);",
            "  2 usage; 3 another run holds the job; 4 a root missing or empty, --max-delete,",
            "  db unusable; 130/143 interrupted.",
            "",
            "Examples:",
            "  duplex bisync /srv/share /mnt/cloud",
            "  duplex bisync --dry-run /srv/share /mnt/cloud",
            "  duplex bisync --conflict-changed newer --exclude '~$*' /srv/share /mnt/cloud",
            "  crontab: */15 * * * * /opt/duplex/duplex bisync -q /srv/share /mnt/cloud",
            "  duplex bisync --watch --health-listen 127.0.0.1:8787 /srv/share /mnt/cloud",
            "    (a service: packaging/systemd/duplex-bisync.service; stops with 143 on SIGTERM)"})
public final class BisyncCommand implements Callable<Integer> {
    private final RunEnvironment environment;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "LEFT", description = "One side: a directory, or duplex://HOST/MODULE[/PATH].")
    private String left;

    @Parameters(index = "1", paramLabel = "RIGHT", description = "The other side, likewise.")
    private String right;

    @Option(names = "--db", paramLabel = "PATH",
            description = "SQLite state file. Default: derived from LEFT and RIGHT in the state directory.")
    private Path db;

    @Option(names = "--log", paramLabel = "PATH",
            description = "Audit log, JSON Lines, appended. Default: next to the db (<db name>.audit.jsonl).")
    private Path log;

    @Option(names = {"-n", "--dry-run"},
            description = "Print the file counts of both sides and one line per action; change nothing.")
    private boolean dryRun;

    @Option(names = "--conflict-changed", paramLabel = "MODE", defaultValue = "keep-both",
            description = "A file changed on both sides with different content: keep-both, newer or skip. "
                    + "Default: ${DEFAULT-VALUE}.")
    private String conflictChanged;

    @Option(names = "--conflict-created", paramLabel = "MODE", defaultValue = "keep-both",
            description = "A path created on both sides with different content: keep-both or newer. "
                    + "Default: ${DEFAULT-VALUE}.")
    private String conflictCreated;

    @Option(names = "--conflict-renamed", paramLabel = "MODE", defaultValue = "keep-both",
            description = "A file renamed differently on each side: keep-both, newer or skip. Default: "
                    + "${DEFAULT-VALUE}.")
    private String conflictRenamed;

    @Option(names = "--soft-delete-max", paramLabel = "SIZE", defaultValue = "20M", converter = SizeConverter.class,
            description = "Deleted (and overwritten) files of at most SIZE go to ROOT/.sync_trash/; larger ones are "
                    + "deleted. 0 = every delete is permanent. Default: ${DEFAULT-VALUE}.")
    private long softDeleteMax;

    @Option(names = "--max-delete", paramLabel = "N|N%", defaultValue = "50%",
            description = "Refuse the run (nothing changed, exit 4) when it would delete more than N files, or N%% "
                    + "of the files recorded, on one side. Default: ${DEFAULT-VALUE}.")
    private String maxDelete;

    @Option(names = "--force", description = "Run despite --max-delete or an empty root.")
    private boolean force;

    @Option(names = "--allow-fs-change",
            description = "Accept that LEFT or RIGHT is now on another file system than this job recorded (device, "
                    + "type, mount point), and record the new one. Without it such a run stops before changing "
                    + "anything (exit 4): an unmounted share's mount point is a plain local directory.")
    private boolean allowFsChange;

    @Option(names = "--path", paramLabel = "REL",
            description = "Reconcile only this file or folder (relative to both roots) now.")
    private String path;

    @Option(names = "--checksum", paramLabel = "ALGO", defaultValue = "sha256", converter = ChecksumConverter.class,
            description = "md5, sha1, sha256 or blake2b. Default: ${DEFAULT-VALUE}.")
    private HashAlgorithm checksum;

    @Option(names = "--bwlimit", paramLabel = "RATE", defaultValue = "0", converter = RateConverter.class,
            description = "Maximum bytes per second copied (K, M, G: powers of 1024). 0 = unlimited (default).")
    private long bwlimit;

    @Option(names = "--keep-tombstones", paramLabel = "DURATION", defaultValue = "30d",
            converter = DurationConverter.class,
            description = "How long the db remembers a path deleted on both sides. Default: ${DEFAULT-VALUE}.")
    private Duration keepTombstones;

    @Option(names = "--json-summary", paramLabel = "PATH",
            description = "Also write the run's counts as one JSON object to PATH (replaced atomically).")
    private Path jsonSummary;

    @Option(names = {"-q", "--quiet"}, description = "No summary line; warnings and failures are still printed.")
    private boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "Print each action as it is done.")
    private boolean verbose;

    @Mixin
    private FilterOptions filters;

    @Mixin
    private RemoteOptions remote;

    @Mixin
    private ConfigOption config;

    @Mixin
    private WatchOptions watch;

    public BisyncCommand(RunEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws InterruptedException {
        BisyncOptions options = options();
        dev.duplex.watch.WatchSettings watching = watch.settings(options.dryRun(), options.only().isPresent());
        Optional<MailSettings> mail = mailSettings();
        PrintWriter err = spec.commandLine().getErr();
        if (watching != null) {
            BisyncWatch w = new BisyncWatch(options, watching, environment.clock(), spec.commandLine().getOut(), m -> {
                err.println("duplex bisync: " + m);
                err.flush();
            }, quiet, (conflicts, counts) -> mail(mail, options, conflicts, counts));
            try {
                w.run();
            } catch (InterruptedException stopped) {   // SIGTERM or SIGINT: the normal end of a watch
                spec.commandLine().getOut().println("duplex bisync: watch stopped; in all: " + w.totals().summary());
                spec.commandLine().getOut().flush();
                if (jsonSummary != null) {
                    BisyncSummaryFile.write(jsonSummary, w.totals(), err);
                }
            }
            return ExitCode.INTERRUPTED.code();
        }
        BisyncJob job = new BisyncJob(options, environment.clock(), spec.commandLine().getOut(), err);
        List<Action.Conflict> conflicts = job.run();
        BisyncCounts counts = job.counts();
        if (!options.dryRun()) {
            mail(mail, options, conflicts, counts);
            if (!quiet) {
                spec.commandLine().getOut().println("duplex bisync: " + counts.summary());
                spec.commandLine().getOut().flush();
            }
            if (jsonSummary != null) {
                BisyncSummaryFile.write(jsonSummary, counts, spec.commandLine().getErr());
            }
        }
        if (options.dryRun()) {
            return conflicts.stream().anyMatch(c -> c.mode() == ConflictMode.SKIP) ? 1 : 0;
        }
        return counts.failed() > 0 || counts.unresolved() > 0 ? ExitCode.FILES_FAILED.code()
                : ExitCode.SYNCED.code();
    }

    /** The run's (or a watch pass's) e-mails; a failure to send is counted, never fatal. */
    private void mail(Optional<MailSettings> mail, BisyncOptions options, List<Action.Conflict> conflicts,
                      BisyncCounts counts) {
        if (mail.isEmpty()) {
            return;
        }
        List<Mailer.Mail> mails = BisyncMail.of(mail.get().notifyWhen(), options.left().name(),
                options.right().name(), conflicts, counts);
        if (mails.isEmpty()) {
            return;
        }
        int failed = new Mailer(mail.get(), environment.env(), m -> spec.commandLine().getErr()
                .println("duplex bisync: " + m)).send(mails);
        counts.mailsSent(mails.size() - failed, failed);
    }

    /** The {@code [email]} table of --config, read before the run so that a mistake in it changes nothing. */
    private Optional<MailSettings> mailSettings() {
        if (config.config == null) {
            return Optional.empty();
        }
        try {
            return MailSettings.fromConfig(config.config);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private BisyncOptions options() {
        if (filters.deleteExcluded()) {
            throw usage("--delete-excluded is for the one-way sync's mirror cleanup, not for bisync");
        }
        if (bwlimit < 0) {
            throw usage("--bwlimit must not be negative");
        }
        ReconcileOptions modes;
        try {
            modes = new ReconcileOptions(ConflictMode.parse(conflictChanged), ConflictMode.parse(conflictCreated),
                    ConflictMode.parse(conflictRenamed), false, ZoneId.systemDefault());
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        String limit = maxDelete.trim();
        boolean percent = limit.endsWith("%");
        long max;
        try {
            max = Long.parseLong(percent ? limit.substring(0, limit.length() - 1).trim() : limit);
        } catch (NumberFormatException e) {
            throw usage("--max-delete takes a count (100) or a percentage (50%), not '" + maxDelete + "'");
        }
        if (max < 0 || (percent && max > 100)) {
            throw usage("--max-delete must be 0 or more (a percentage at most 100%), not '" + maxDelete + "'");
        }
        Optional<RelPath> only = Optional.empty();
        if (path != null) {
            String p = path.replace('\\', '/').replaceAll("^/+|/+$", "");
            try {
                only = p.isEmpty() ? Optional.empty() : Optional.of(RelPath.of(p));
                if (only.isPresent() && only.get().startsWith(RelPath.of(dev.duplex.bisync.SideScanner.TRASH))) {
                    throw usage("--path " + path + " is in the trash, which is never synced");
                }
            } catch (IllegalArgumentException e) {
                throw usage("--path " + path + ": " + e.getMessage());
            }
        }
        Location l = location("LEFT", left);
        Location r = location("RIGHT", right);
        RootOverlap.checkSides(l, r).ifPresent(problem -> {
            throw usage(problem);
        });
        boolean anyRemote = l.localPath().isEmpty() || r.localPath().isEmpty();
        ClientOptions client = remote.client(environment.env(), 3, Duration.ofSeconds(1), bwlimit, anyRemote);
        Path dbPath = db != null ? db.toAbsolutePath().normalize()
                : JobFiles.defaultBisyncDb(JobFiles.stateDirectory(environment.env(), environment.userHome(),
                        environment.osName()), l, r);
        if (Files.isDirectory(dbPath)) {
            throw usage("--db " + dbPath + " is a directory; give a file path");
        }
        Path logPath = log != null ? log.toAbsolutePath().normalize() : JobFiles.defaultAuditLog(dbPath);
        return new BisyncOptions(l, r, dbPath, logPath, dryRun, modes, softDeleteMax, max, percent, force, checksum,
                bwlimit, filters.filter(), only, keepTombstones, client, verbose, allowFsChange);
    }

    private Location location(String role, String text) {
        try {
            return Location.parse(text);
        } catch (IllegalArgumentException e) {
            throw usage(role + " " + e.getMessage());
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
