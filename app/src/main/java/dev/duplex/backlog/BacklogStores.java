package dev.duplex.backlog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Opens a job's {@link BacklogStore}: a SQLite file (created when missing, read-only for dry runs, or a scratch db),
 * or a PostgreSQL database shared by several hosts.
 */
public final class BacklogStores {
    private BacklogStores() {}

    /**
     * Opens (creating its tables when missing) the job database on a PostgreSQL server, shared by every host that
     * runs the same job on it; {@code worker} names this run in its claims and its row of {@code runs}.
     */
    public static BacklogStore openShared(PgDatabase database, PathNames names, SharedBacklog.Worker worker) {
        PgPool pool = PgPool.open(database);
        try {
            Connection job = pool.connection();
            try {
                Schema.createShared(job);
            } catch (SQLException e) {
                job.close();
                throw e;
            }
            return new BacklogStore(null, database.describe(), Dialect.POSTGRES, job, false, names, pool::connection,
                    worker, pool::close);
        } catch (SQLException e) {
            pool.close();
            throw PgPool.unreachable(database, e);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /** Connects to a shared job's database once, or fails with this host's name and the reason (exit 4). */
    public static void probe(PgDatabase database) {
        PgPool.open(database).close();
    }

    /** Opens (creating when missing) the db at {@code path}; any failure is a {@link BacklogException}. */
    public static BacklogStore open(Path path, PathNames names) {
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new BacklogException("cannot create the directory of the state db " + path + ": " + e, e);
        }
        return connect(path, false, false, names);
    }

    /** Opens an existing db without writing to it (dry runs). */
    public static BacklogStore openReadOnly(Path path, PathNames names) {
        return connect(path, true, false, names);
    }

    /** A scratch db in the temp directory, deleted on close: dry runs scan into it so the real db is untouched. */
    public static BacklogStore openTemporary(PathNames names) {
        try {
            Path scratch = Files.createTempFile("duplex-dry-run-", ".db");
            return connect(scratch, false, true, names);
        } catch (IOException e) {
            throw new BacklogException("cannot create a scratch db for the dry run in "
                    + System.getProperty("java.io.tmpdir") + ": " + e, e);
        }
    }

    private static BacklogStore connect(Path path, boolean readOnly, boolean temporary, PathNames names) {
        return new BacklogStore(path, StoreConnections.open(path, readOnly), temporary, names);
    }
}
