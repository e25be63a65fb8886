package dev.duplex.cli;

import dev.duplex.job.JobFiles;
import dev.duplex.job.Location;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * Which job a {@code status}, {@code check} or {@code history} is about: {@code --db PATH}, or the same
 * {@code SOURCE DEST [DEST2]} as the sync command, from which the default db is derived exactly as a sync does.
 */
public final class JobSelector {
    @Option(names = "--db", paramLabel = "PATH|URL",
            description = "The job's state db, or postgresql://HOST[:PORT]/DBNAME for a shared job. Default: derived "
                    + "from SOURCE and DEST as a sync derives it.")
    private String db;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SOURCE",
            description = "The job's source directory (or endpoint).")
    private String source;

    @Parameters(index = "1", arity = "0..1", paramLabel = "DEST", description = "The job's destination.")
    private String dest;

    @Parameters(index = "2", arity = "0..1", paramLabel = "DEST2", description = "The job's second destination.")
    private String dest2;

    @Option(names = "--shard", paramLabel = "K/N",
            description = "The part of a --shard job (its default db is the part's own).")
    private String shard;

    /** The job the command line names; a usage error when it names none or half of one. */
    Job resolve(RunEnvironment environment, CommandSpec spec) {
        if (source != null && dest == null) {
            throw new ParameterException(spec.commandLine(), "give both SOURCE and DEST (or only --db PATH)");
        }
        List<Location> dests = new ArrayList<>();
        if (dest != null) {
            dests.add(location(spec, "DEST", dest));
        }
        if (dest2 != null) {
            dests.add(location(spec, "DEST2", dest2));
        }
        Optional<Location> src = Optional.ofNullable(source).map(s -> location(spec, "SOURCE", s));
        if (db != null && dev.duplex.backlog.PgDatabase.isUrl(db)) {
            try {
                return new Job(Path.of("."), src, dests, Optional.of(dev.duplex.backlog.PgDatabase.parse(db,
                        environment.env(), System.getProperty("user.name", "postgres"))));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        if (db != null) {
            return new Job(absolute(Path.of(db)), src, dests, Optional.empty());
        }
        if (src.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "name the job: --db PATH, or SOURCE DEST [DEST2]");
        }
        Path stateDir = JobFiles.stateDirectory(environment.env(), environment.userHome(), environment.osName());
        Optional<dev.duplex.filter.Shard> part;
        try {
            part = Optional.ofNullable(shard).map(dev.duplex.filter.Shard::parse);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        return new Job(JobFiles.defaultDb(stateDir, src.get(), dests, part), src, dests, Optional.empty());
    }

    private static Location location(CommandSpec spec, String role, String text) {
        try {
            return Location.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), role + " " + e.getMessage());
        }
    }

    private static Path absolute(Path p) {
        return p.toAbsolutePath().normalize();
    }

    /**
     * A job as named on the command line: its db, and its roots when they were given; {@code shared}: the
     * PostgreSQL database of a shared job (then {@code db} means nothing).
     */
    record Job(Path db, Optional<Location> source, List<Location> destinations,
               Optional<dev.duplex.backlog.PgDatabase> shared) {}
}
