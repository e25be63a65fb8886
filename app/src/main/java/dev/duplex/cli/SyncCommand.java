package dev.duplex.cli;

import dev.duplex.filter.Shard;
import dev.duplex.job.JobFiles;
import dev.duplex.job.Location;
import dev.duplex.remote.ClientOptions;
import dev.duplex.job.SyncJob;
import dev.duplex.job.SyncOptions;
import dev.duplex.report.DiagnosticLog;
import dev.duplex.report.ProgressPrinter;
import dev.duplex.report.RunSummary;
import dev.duplex.report.TransferStats;
import dev.duplex.transfer.BandwidthLimiter;
import dev.duplex.digest.HashAlgorithm;
import dev.duplex.transfer.TransferPipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code duplex [OPTIONS] SOURCE DEST [DEST2]}: turns the command line into {@link SyncOptions} and runs the job. */
@Command(name = "duplex", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Copies the tree SOURCE to DEST (and DEST2) in one streaming pass: readers feed blocks to a writer "
                    + "per destination through bounded queues, so reads and writes overlap, several files at a time. Each file is "
                    + "hashed while it is read, written to a temp file and renamed into place (on both "
                    + "destinations, or on neither). A SQLite backlog makes a long job resumable without "
                    + "rescanning; an audit log records every file.",
            "",
            "A file is skipped when the destination has the same size and mtime. Re-running the same command "
                    + "resumes the same job (the db is derived from SOURCE and DEST).",
            ""},
        footer = {
            "",
            "Exit codes:",
            "  0  everything is synced",
            "  1  some files failed; they stay pending and the next run retries them",
            "  2  usage or configuration error; nothing changed",
            "  3  another run holds this job's db lock (PostgreSQL job: writes the same --log)",
            "  4  fatal: source root missing or unreadable, a root on another file",
            "     system than the job recorded (a share not mounted), destination root",
            "     not creatable, db unusable, --max-dest-failures files in a row failed",
            "     on a destination, the success marker cannot be written",
            "  130/143  stopped by SIGINT/SIGTERM: files in progress abandoned (no temp",
            "     files left), everything finished is recorded; the next run resumes",
            "",
            "Examples:",
            "  duplex /mnt/nas1/projects /mnt/nas2/projects",
            "  duplex --bwlimit 20M --checksum blake2b /mnt/src /mnt/dst",
            "  duplex --dry-run --delete-extras /mnt/src /mnt/dst   (show a mirror's plan)",
            "  duplex /mnt/src /mnt/a /mnt/b   (one read, two destinations)",
            "  duplex --exclude .snapshot/ --exclude '~$*' /mnt/share /mnt/backup",
            "  duplex --include '*/' --include '*.pdf' --exclude '*' /mnt/src /mnt/dst",
            "  duplex --ready-suffix .ready --success-marker _SUCCESS /mnt/src /mnt/out",
            "  PGUSER=duplex duplex --db postgresql://db.example.org/migrate /mnt/src /mnt/dst",
            "     (the same on every host: they share the job, each file copied by one of them)",
            "  crontab: 0 2 * * * /opt/duplex/duplex /mnt/src /mnt/dst >>/var/log/duplex 2>&1"})
public final class SyncCommand implements Callable<Integer> {
    private static final long MAX_BLOCK_BYTES = 1L << 30;
    private static final int MAX_TRANSFERS = 64;

    private final RunEnvironment environment;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SOURCE",
            description = "Directory to copy from, or a daemon's duplex://HOST[:PORT]/MODULE[/PATH] (pull).")
    private String source;

    @Parameters(index = "1", paramLabel = "DEST",
            description = "Directory to copy into (created if missing), or a duplex:// endpoint (push).")
    private String dest;

    @Parameters(index = "2", arity = "0..1", paramLabel = "DEST2",
            description = "Optional second destination: each file is read once and committed on both or neither.")
    private String dest2;

    @Mixin
    private JobDbOption dbOption;

    @Option(names = "--log", paramLabel = "PATH",
            description = "Audit log, JSON Lines, appended. Default: next to the db (<db name>.audit.jsonl).")
    private Path log;

    @Option(names = "--bwlimit", paramLabel = "RATE", defaultValue = "0", converter = RateConverter.class,
            description = "Maximum bytes per second read from SOURCE (and so written to each destination). "
                    + "Suffixes K, M, G are powers of 1024. 0 = unlimited (default).")
    private long bwlimit;

    @Option(names = "--checksum", paramLabel = "ALGO", defaultValue = "sha256", converter = ChecksumConverter.class,
            description = "md5, sha1, sha256 or blake2b (BLAKE2b-512, as b2sum). Default: ${DEFAULT-VALUE}.")
    private HashAlgorithm checksum;

    @Option(names = "--delete-extras",
            description = "Mirror: after the transfer, delete destination files and directories absent from "
                    + "SOURCE, each re-checked live on SOURCE first.")
    private boolean deleteExtras;

    @Option(names = "--rescan", description = "Ignore a pending backlog and scan again.")
    private boolean rescan;

    @Option(names = "--block-size", paramLabel = "SIZE", defaultValue = "5M", converter = SizeConverter.class,
            description = "Transfer block size (1 byte to 1G). Default: ${DEFAULT-VALUE}.")
    private long blockSize;

    @Option(names = "--queue-capacity", paramLabel = "N", defaultValue = "20",
            description = "Blocks queued per destination (at least 1). Default: ${DEFAULT-VALUE}.")
    private int queueCapacity;

    @Option(names = "--transfers", paramLabel = "N", defaultValue = "4",
            description = "Files copied at once, each with its own reader and writer (1 to 64). Several files in "
                    + "flight hide the per-file latency of opening, creating and renaming (disk seeks, network "
                    + "round trips); 1 reads the source strictly one file at a time. Default: ${DEFAULT-VALUE}.")
    private int transfers;

    @Option(names = "--mmap", paramLabel = "WHEN", defaultValue = "auto", converter = MmapConverter.class,
            description = "Read source files over 64 KiB through read-only memory maps instead of read(): one "
                    + "copy fewer, less CPU. auto: only on Linux, when the source and every destination are on "
                    + "local file systems (ext4, xfs, btrfs, tmpfs, ...); always; never. Under --bwlimit or "
                    + "--verify files are always read. Default: ${DEFAULT-VALUE}.")
    private dev.duplex.transfer.SourceAccess.Choice mmap;

    @Option(names = "--scan-threads", paramLabel = "N|auto", defaultValue = "auto",
            converter = ScanThreadsConverter.class,
            description = "Threads reading file metadata during the scan (1 to 64), shared by the source and "
                    + "destination walks, a little ahead of them (the walks still go in name order). Many stats in "
                    + "flight overlap their round trips on a share; on a local disk the scan is bound by CPU and "
                    + "they only cost. auto: 8 for trees on shares (anything but a local Linux file system), none "
                    + "for local trees; 1: each entry is read on its walk's own thread. Default: ${DEFAULT-VALUE}.")
    private int scanThreads;

    @Option(names = {"-n", "--dry-run"},
            description = "Print what would be copied and deleted; change nothing (not even the db).")
    private boolean dryRun;

    @Option(names = "--verify",
            description = "Re-read each written temp file and compare its hash before renaming it into place.")
    private boolean verify;

    @Option(names = "--stable-for", paramLabel = "DURATION", defaultValue = "0", converter = DurationConverter.class,
            description = "Copy a file only when it has not changed for this long (30s, 5m, 2h): its mtime, "
                    + "ctime and creation time are all at least that old; newer files stay pending (deferred). "
                    + "Default: 0.")
    private Duration stableFor;

    @Option(names = "--fsync",
            description = "Flush each file to stable storage before renaming it (survives power loss; slower "
                    + "for small files). Always on with two destinations. Without it a crash of duplex itself "
                    + "still never leaves a partial file under a final name.")
    private boolean fsync;

    @Option(names = "--retries", paramLabel = "N", defaultValue = "3",
            description = "Retry opening a source file that fails for a transient reason (locked, share hiccup) "
                    + "this many times before marking it failed; a dropped connection to a daemon is opened again as "
                    + "many times. Default: ${DEFAULT-VALUE}.")
    private int retries;

    @Option(names = "--retry-wait", paramLabel = "DURATION", defaultValue = "1s", converter = DurationConverter.class,
            description = "Wait before the first retry; doubled for each next one. Default: ${DEFAULT-VALUE}.")
    private Duration retryWait;

    @Option(names = "--sidecar",
            description = "After each file is committed, write NAME.<algo> beside it on every destination, in the "
                    + "format 'sha256sum -c' (md5sum, sha1sum, b2sum) checks.")
    private boolean sidecar;

    @Option(names = "--max-dest-failures", paramLabel = "N", defaultValue = "10",
            description = "Stop the run (exit 4) after N files in a row fail on a destination (disk full, share "
                    + "read-only), instead of failing every file in turn. 0 = never stop. Default: ${DEFAULT-VALUE}.")
    private int maxDestFailures;

    @Option(names = "--allow-empty-source",
            description = "Let --delete-extras run when SOURCE is empty. Without it an empty source root (what an "
                    + "unmounted share looks like) makes cleanup refuse, so the destination is not wiped.")
    private boolean allowEmptySource;

    @Option(names = "--max-delete", paramLabel = "N", defaultValue = "-1",
            description = "With --delete-extras: when more than N entries would be deleted, delete none and say so "
                    + "(exit 1). Default: no cap.")
    private long maxDelete;

    @Option(names = "--progress-interval", paramLabel = "DURATION", defaultValue = "10s",
            converter = DurationConverter.class,
            description = "When output is not a terminal (cron, CI, a pipe): print a plain progress line this "
                    + "often. On a terminal a live status line is shown instead. Default: ${DEFAULT-VALUE}.")
    private Duration progressInterval;

    @Option(names = "--allow-fs-change",
            description = "Accept that SOURCE, DEST or DEST2 is now on another file system than this job recorded "
                    + "(device, type, mount point), and record the new one. Without it such a run stops before "
                    + "changing anything (exit 4): an unmounted share's mount point is a plain local directory.")
    private boolean allowFsChange;

    @Mixin
    private FilterOptions filters;

    @Mixin
    private MarkerOptions markers;

    @Mixin
    private ShardOption shardOption;

    @Mixin
    private RemoteOptions remote;

    @Mixin
    private RunReporting reporting;

    @Mixin
    private ConfigOption config;

    public SyncCommand(RunEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws InterruptedException {
        SyncOptions options = options();
        TransferStats stats = new TransferStats();
        if (!options.dryRun()) {
            DiagnosticLog.writeTo(JobFiles.diagnosticLog(options.dbPath()), reporting.verbosity());
        }
        RunSummary summary = reporting.around(options, stats, environment.clock(), spec.commandLine().getErr(), () -> {
            try (ProgressPrinter printer = new ProgressPrinter(spec.commandLine().getOut(),
                    spec.commandLine().getErr(), environment.interactive(), stats, environment.clock(),
                    progressInterval)) {
                return new SyncJob(options, reporting.listener(printer), stats, environment.clock()).run();
            }
        });
        summary.print(spec.commandLine().getOut());
        if (summary.interrupted()) {
            return ExitCode.INTERRUPTED.code();
        }
        return (summary.hasFailures() ? ExitCode.FILES_FAILED : ExitCode.SYNCED).code();
    }

    private SyncOptions options() {
        if (blockSize < 1 || blockSize > MAX_BLOCK_BYTES) {
            throw usage("--block-size must be between 1 byte and 1G, not " + blockSize + " bytes");
        }
        if (transfers < 1 || transfers > MAX_TRANSFERS) {
            throw usage("--transfers must be between 1 and " + MAX_TRANSFERS + ", not " + transfers);
        }
        if (queueCapacity < 1) {
            throw usage("--queue-capacity must be at least 1, not " + queueCapacity);
        }
        if (!dryRun) {   // a dry run allocates no block buffers
            long needed = TransferPipeline.directMemoryNeeded(BandwidthLimiter.of(bwlimit), (int) blockSize,
                    queueCapacity, transfers, dest2 != null ? 2 : 1, verify);
            DirectMemoryBudget.problem(blockSize, queueCapacity, transfers, needed, DirectMemoryBudget.limit())
                    .ifPresent(problem -> {
                        throw usage(problem);
                    });
        }
        if (progressInterval.isZero()) {
            throw usage("--progress-interval must be longer than 0");
        }
        if (maxDestFailures < 0) {
            throw usage("--max-dest-failures must not be negative");
        }
        if (retries < 0) {
            throw usage("--retries must not be negative");
        }
        if (bwlimit < 0) {
            throw usage("--bwlimit must not be negative");
        }
        if (sidecar && markers.markers().readySuffix().filter(("." + checksum.cliName())::equals).isPresent()) {
            throw usage("--ready-suffix ." + checksum.cliName() + " is the name of --sidecar's checksum files; "
                    + "choose another suffix (e.g. .ready)");
        }
        if (filters.deleteExcluded() && !deleteExtras) {
            throw usage("--delete-excluded deletes only during mirror cleanup: add --delete-extras");
        }
        reporting.problem().ifPresent(problem -> {
            throw usage(problem);
        });
        Location src = location("SOURCE", source);
        List<Location> dests = new ArrayList<>();
        dests.add(location("DEST", dest));
        if (dest2 != null) {
            dests.add(location("DEST2", dest2));
        }
        RootOverlap.check(src, dests).ifPresent(problem -> {
            throw usage(problem);
        });
        boolean anyRemote = src.localPath().isEmpty() || dests.stream().anyMatch(d -> d.localPath().isEmpty());
        Optional<Shard> shard = shardOption.shard();
        if (shard.isPresent() && anyRemote) {
            throw usage("--shard works on local paths (and mounted shares) only, not with duplex:// endpoints yet");
        }
        if (shard.isPresent() && markers.markers().successMarker().isPresent()) {
            throw usage("--success-marker with --shard would mark the whole job done when one part is: write the "
                    + "marker after every part has exited 0 (--ready-suffix works per file)");
        }
        if (shard.isPresent() && filters.deleteExcluded()) {
            throw usage("--shard with --delete-excluded would delete the other parts' files: leave one out");
        }
        ClientOptions client = remote.client(environment.env(), retries, retryWait, bwlimit, anyRemote);
        JobDbOption.Resolved jobDb = dbOption.resolve(environment, src, dests, shard);
        if (jobDb.shared().isPresent() && anyRemote) {
            throw usage("a job shared through PostgreSQL works on local paths and mounted shares, not with duplex:// "
                    + "endpoints yet");
        }
        if (jobDb.shared().isPresent() && dryRun) {
            throw usage("--dry-run of a job shared through PostgreSQL is not supported yet: run it with a SQLite --db");
        }
        Path dbPath = jobDb.dbPath();
        Path logPath = log != null ? absolute(log) : JobFiles.defaultAuditLog(dbPath);
        if (Files.isDirectory(logPath)) {
            throw usage("--log " + logPath + " is a directory; give a file path");
        }
        return new SyncOptions(src, dests, dbPath, logPath, bwlimit, checksum, deleteExtras, rescan,
                (int) blockSize, queueCapacity, dryRun, verify, stableFor, fsync, retries, retryWait, sidecar,
                maxDestFailures, allowEmptySource, maxDelete, transfers, mmap, scanThreads,
                shard.map(filters.filter()::withShard).orElse(filters.filter()),
                filters.deleteExcluded(), markers.markers(), allowFsChange, client, jobDb.shared());
    }

    private Location location(String role, String text) {
        try {
            return Location.parse(text);
        } catch (IllegalArgumentException e) {
            throw usage(role + " " + e.getMessage());
        }
    }

    private static Path absolute(Path p) {
        return p.toAbsolutePath().normalize();
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
