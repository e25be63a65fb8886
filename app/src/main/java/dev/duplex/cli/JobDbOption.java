package dev.duplex.cli;

import dev.duplex.backlog.PgDatabase;
import dev.duplex.filter.Shard;
import dev.duplex.job.JobFiles;
import dev.duplex.job.Location;
import dev.duplex.job.SharedDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --db}: the job's SQLite file, or {@code postgresql://HOST[:PORT]/DBNAME} for a job shared by several hosts
 * (with {@code --lease}). With PostgreSQL the local files (audit and diagnostic logs) keep their default place
 * beside where the SQLite db would be.
 */
public final class JobDbOption {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    @Option(names = "--db", paramLabel = "PATH|URL",
            description = "SQLite state/backlog file. Default: a per-job file in ~/.local/state/duplex "
                    + "(or $XDG_STATE_HOME/duplex, %%LOCALAPPDATA%%\\duplex on Windows). Or "
                    + "postgresql://HOST[:PORT]/DBNAME: a job shared by every host (and process) that runs the "
                    + "same command on that database; each file is copied by one of them. Credentials from "
                    + "PGUSER, PGPASSWORD or ~/.pgpass (PGPASSFILE), TLS from PGSSLMODE, never on the command line.")
    private String db;

    @Option(names = "--lease", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "With a PostgreSQL --db: how long a host holds the files it claimed without renewing "
                    + "(renewed every quarter of it); the files of a host that died go to the others after this "
                    + "long. Default 60s.")
    private Duration lease;

    /** The job's db, resolved: the SQLite path (or the place of the local files), and the shared database. */
    record Resolved(Path dbPath, Optional<SharedDb> shared) {}

    /** @throws ParameterException (exit 2) for a malformed URL, a directory as --db, or --lease without PostgreSQL */
    Resolved resolve(RunEnvironment environment, Location source, List<Location> destinations,
                     Optional<Shard> shard) {
        Path stateDir = JobFiles.stateDirectory(environment.env(), environment.userHome(), environment.osName());
        if (db != null && PgDatabase.isUrl(db)) {
            if (shard.isPresent()) {
                throw usage("--shard splits a job without a shared database; with --db " + db
                        + " every host takes its files from the database: leave --shard out");
            }
            Duration leaseTime = lease == null ? SharedDb.DEFAULT_LEASE : lease;
            if (leaseTime.toMillis() < 1000) {
                throw usage("--lease " + leaseTime.toMillis() + "ms is too short: give at least 1s");
            }
            PgDatabase database = parse(environment);
            return new Resolved(JobFiles.defaultDb(stateDir, source, destinations),
                    Optional.of(new SharedDb(database, leaseTime)));
        }
        if (lease != null) {
            throw usage("--lease is for a job shared through PostgreSQL (--db postgresql://HOST/DBNAME)");
        }
        Path dbPath = db != null ? Path.of(db).toAbsolutePath().normalize()
                : JobFiles.defaultDb(stateDir, source, destinations, shard);
        if (Files.isDirectory(dbPath)) {
            throw usage("--db " + dbPath + " is a directory; give a file path");
        }
        return new Resolved(dbPath, Optional.empty());
    }

    private PgDatabase parse(RunEnvironment environment) {
        try {
            return PgDatabase.parse(db, environment.env(), System.getProperty("user.name", "postgres"));
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(mixee.commandLine(), message);
    }
}
