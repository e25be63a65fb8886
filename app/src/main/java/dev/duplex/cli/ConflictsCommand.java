package dev.duplex.cli;

import dev.duplex.backlog.BacklogView;
import dev.duplex.backlog.ConflictRow;
import dev.duplex.job.JobFiles;
import dev.duplex.job.Location;
import dev.duplex.report.Json;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
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

/** {@code duplex conflicts (--db PATH | LEFT RIGHT) [--json]}: a two-way job's unresolved conflicts. */
@Command(name = "conflicts", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"Lists a two-way job's unresolved conflicts (left by --conflict-changed skip or "
                + "--conflict-renamed skip): path, rule, both sides' size and mtime, when first and last seen. "
                + "A conflict disappears once the two sides agree again (or one side is resolved) and bisync "
                + "runs.", ""})
public final class ConflictsCommand implements Callable<Integer> {
    private final RunEnvironment environment;

    @Spec
    private CommandSpec spec;

    @Option(names = "--db", paramLabel = "PATH", description = "The job's db. Default: derived from LEFT and RIGHT.")
    private Path db;

    @Parameters(index = "0", arity = "0..1", paramLabel = "LEFT", description = "The job's left side.")
    private String left;

    @Parameters(index = "1", arity = "0..1", paramLabel = "RIGHT", description = "The job's right side.")
    private String right;

    @Option(names = "--json", description = "One JSON array of objects instead of text.")
    private boolean json;

    @Mixin
    private ConfigOption config;

    public ConflictsCommand(RunEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        Path dbPath = dbPath();
        List<ConflictRow> rows;
        try (BacklogView view = BacklogView.open(dbPath)) {
            rows = view.conflicts();
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            List<Map<String, Object>> all = new ArrayList<>();
            for (ConflictRow c : rows) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("path", c.path().toString());
                f.put("rule", c.rule());
                f.put("left_size", c.leftSize());
                f.put("left_mtime", c.leftModified().map(Instant::toString));
                f.put("right_size", c.rightSize());
                f.put("right_mtime", c.rightModified().map(Instant::toString));
                f.put("first_seen", c.firstSeen().toString());
                f.put("last_seen", c.lastSeen().toString());
                all.add(f);
            }
            out.println(Json.object(Map.of("conflicts", all)));
        } else if (rows.isEmpty()) {
            out.println("no unresolved conflicts");
        } else {
            for (ConflictRow c : rows) {
                out.printf("%s  (%s)  left: %s  right: %s  first seen %s%n", c.path(), c.rule(),
                        side(c.leftSize(), c.leftModified()), side(c.rightSize(), c.rightModified()), c.firstSeen());
            }
            out.printf("%d unresolved conflict%s%n", rows.size(), rows.size() == 1 ? "" : "s");
        }
        out.flush();
        return ExitCode.SYNCED.code();
    }

    private static String side(Optional<Long> size, Optional<Instant> mtime) {
        return size.isEmpty() ? "absent" : size.get() + " bytes, " + mtime.map(Instant::toString).orElse("?");
    }

    private Path dbPath() {
        if (db != null) {
            return db.toAbsolutePath().normalize();
        }
        if (left == null || right == null) {
            throw new ParameterException(spec.commandLine(), "name the job: --db PATH, or LEFT RIGHT");
        }
        try {
            return JobFiles.defaultBisyncDb(JobFiles.stateDirectory(environment.env(), environment.userHome(),
                    environment.osName()), Location.parse(left), Location.parse(right));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
