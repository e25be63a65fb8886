package dev.duplex.backlog;

import dev.duplex.tree.RootFileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import dev.duplex.report.JobCounts;
import dev.duplex.report.PendingFile;
import dev.duplex.report.RunCounts;
import dev.duplex.report.RunEnd;
import dev.duplex.report.RunRow;
import org.sqlite.SQLiteConfig;

/**
 * A read-only look at a job db, for {@code status}, {@code history} and {@code check}: it never writes, never
 * creates the db, and (the db being in WAL mode) reads while a run holds the job lock and writes. Owns its own
 * read-only connection; one thread at a time.
 */
public final class BacklogView implements AutoCloseable {
    private final String path;
    private final Connection connection;
    private final Dialect dialect;

    private BacklogView(String path, Connection connection, Dialect dialect) {
        this.path = path;
        this.connection = connection;
        this.dialect = dialect;
    }

    /** Opens a PostgreSQL job database for reading; one that holds no job yet is a {@link BacklogException}. */
    public static BacklogView openShared(PgDatabase database) {
        Connection c;
        try {
            c = DriverManager.getConnection(database.jdbcUrl(), database.properties());
        } catch (SQLException e) {
            throw PgPool.unreachable(database, e);
        }
        try {
            c.setReadOnly(true);
            if (!Dialect.POSTGRES.hasTable(c, "files")) {
                c.close();
                throw new BacklogException("no job in the database " + database.describe()
                        + " (has this job run yet? check --db)", null);
            }
            return new BacklogView(database.describe(), c, Dialect.POSTGRES);
        } catch (SQLException e) {
            throw new BacklogException("cannot read the job database " + database.describe() + ": " + e.getMessage(),
                    e);
        }
    }

    /** Opens an existing db read-only; a missing or unreadable file is a {@link BacklogException}. */
    public static BacklogView open(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new BacklogException("no job db at " + path + " (has this job run yet? check --db or the paths)",
                    null);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(10_000);
        try {
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + path, config.toProperties());
            try (Statement s = c.createStatement()) {
                s.executeQuery("SELECT count(*) FROM files").close();
            }
            return new BacklogView(path.toString(), c, Dialect.SQLITE);
        } catch (SQLException e) {
            throw new BacklogException("cannot read the job db " + path + ": " + e.getMessage()
                    + " (is it a duplex db?)", e);
        }
    }

    /** The db's file, or the database's URL. */
    public String path() {
        return path;
    }

    /** A two-way job's unresolved conflicts (none for a one-way job, or a db of an older duplex). */
    public java.util.List<ConflictRow> conflicts() {
        if (!hasTable("bisync_conflicts")) {
            return java.util.List.of();
        }
        return new BisyncTable(new Sql(path, connection, dialect)).conflicts();
    }

    /** How many paths a two-way job records (0 for a one-way job). */
    public long bisyncRecorded() {
        return hasTable("bisync_state") ? new BisyncTable(new Sql(path, connection, dialect)).recorded() : 0;
    }

    /** The job the db belongs to ({@code SOURCE -> DEST [+ DEST2]}), as its first run recorded it. */
    public Optional<String> identity() {
        try (PreparedStatement p = connection.prepareStatement("SELECT value FROM job WHERE key='identity'");
             ResultSet r = p.executeQuery()) {
            return r.next() ? Optional.ofNullable(r.getString(1)) : Optional.empty();
        } catch (SQLException e) {
            throw fail("read the job identity", e);
        }
    }

    /**
     * The filters the backlog was scanned with ({@code ""}: none); empty for a db that never recorded them.
     */
    public Optional<String> filters() {
        return jobValues("filters").values().stream().findFirst();
    }

    /** The file system recorded for each root by the mount guard, by root ({@code source}, {@code dest}, ...). */
    public java.util.Map<String, String> fileSystems() {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        java.util.Map<String, String> recorded = jobValues("file_system.%");
        for (String root : List.of("source", "dest", "dest2")) {
            Optional.ofNullable(recorded.get("file_system." + root)).flatMap(RootFileSystem::decode)
                    .ifPresent(fs -> out.put(root, fs.toString()));
        }
        return out;
    }

    private java.util.Map<String, String> jobValues(String keyPattern) {
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        try (PreparedStatement p = connection.prepareStatement("SELECT key, value FROM job WHERE key LIKE ?")) {
            p.setString(1, keyPattern);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.put(r.getString(1), r.getString(2));
                }
            }
            return out;
        } catch (SQLException e) {
            throw fail("read the job settings", e);
        }
    }

    /**
     * The roots the job was bound to, read from its identity ({@code SOURCE -> DEST [+ DEST2]}): the source name
     * first, then each destination's.
     */
    public Optional<List<String>> recordedRoots() {
        return identity().flatMap(id -> {
            int arrow = id.indexOf(" -> ");
            if (arrow < 0) {
                return Optional.empty();
            }
            List<String> roots = new ArrayList<>();
            roots.add(id.substring(0, arrow));
            roots.addAll(List.of(id.substring(arrow + 4).split(" \\+ ")));
            return Optional.of(roots);
        });
    }

    /** What the db belongs to, when that is not this source and these destinations. */
    public Optional<String> jobMismatch(String source, List<String> destinations) {
        return identity().filter(recorded -> !recorded.equals(BacklogStore.identity(source, destinations)));
    }

    /** A pending file whose last attempt was not a deferral (see {@link BacklogStore#markDeferred}). */
    private static final String NOT_DEFERRED =
            "(error IS NULL OR substr(error, 1, " + BacklogStore.DEFERRED_PREFIX.length() + ") <> '"
                    + BacklogStore.DEFERRED_PREFIX + "')";

    public JobCounts counts() {
        return new JobCounts(
                counts("SELECT count(*), coalesce(sum(size),0) FROM files WHERE status='synced'"),
                counts("SELECT count(*), coalesce(sum(size),0) FROM files WHERE status='pending'"),
                counts("SELECT count(*), coalesce(sum(size),0) FROM files WHERE status='pending' AND attempts>0"
                        + " AND " + NOT_DEFERRED),
                counts("SELECT count(*), coalesce(sum(size),0) FROM files WHERE status='pending' AND attempts>0"
                        + " AND NOT " + NOT_DEFERRED),
                counts("SELECT count(*), 0 FROM files WHERE status='prepared'").files(),
                hasTable("links") ? counts("SELECT count(*), 0 FROM links WHERE status='pending'").files() : 0);
    }

    /** The {@code limit} largest pending files, largest first. */
    public List<PendingFile> largestPending(int limit) {
        return pendingFiles("SELECT source_path, size, attempts, error FROM files WHERE status='pending' "
                + "ORDER BY size DESC, source_path LIMIT " + limit);
    }

    /** Pending files whose last attempt failed, most attempts first, with their last error. */
    public List<PendingFile> failing(int limit) {
        return pendingFiles("SELECT source_path, size, attempts, error FROM files "
                + "WHERE status IN ('pending','prepared') AND error IS NOT NULL AND " + NOT_DEFERRED + " "
                + "ORDER BY attempts DESC, source_path LIMIT " + limit);
    }

    /** Recorded runs, newest first; empty for a db written before runs were recorded. */
    public List<RunRow> runs(int limit) {
        if (!hasTable("runs")) {
            return List.of();
        }
        String sql = "SELECT id, started, pid, options, ended, outcome, exit_code, files_copied, bytes_copied, "
                + "files_skipped, files_failed, files_deferred, files_deleted, pending_files, "
                + "average_bytes_per_second, error, " + (hasColumn("runs", "host") ? "host" : "NULL")
                + " FROM runs ORDER BY id DESC LIMIT " + limit;
        List<RunRow> out = new ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                out.add(runRow(r));
            }
            return out;
        } catch (SQLException e) {
            throw fail("read the run history", e);
        }
    }

    /** Calls {@code action} for every synced file, in source path order. */
    public void forEachSynced(PathNames names, Consumer<SyncedFile> action) {
        String sql = "SELECT source_path, size, algo, hash FROM files "
                + "WHERE status='synced' AND hash IS NOT NULL ORDER BY source_path";
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                action.accept(new SyncedFile(names.pathOfSource(r.getString(1)), r.getLong(2), r.getString(3),
                        r.getString(4)));
            }
        } catch (SQLException e) {
            throw fail("read the synced files", e);
        }
    }

    private static RunRow runRow(ResultSet r) throws SQLException {
        Optional<RunEnd> end = Optional.empty();
        if (r.getString(5) != null) {
            RunCounts c = new RunCounts(r.getLong(8), r.getLong(9), r.getLong(10), r.getLong(11), r.getLong(12),
                    r.getLong(13), r.getLong(14), r.getDouble(15));
            end = Optional.of(new RunEnd(Instant.parse(r.getString(5)), r.getString(6), r.getInt(7), c,
                    Optional.ofNullable(r.getString(16))));
        }
        return new RunRow(r.getLong(1), Instant.parse(r.getString(2)), r.getLong(3), r.getString(4), end,
                Optional.ofNullable(r.getString(17)));
    }

    private List<PendingFile> pendingFiles(String sql) {
        List<PendingFile> out = new ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                out.add(new PendingFile(r.getString(1), r.getLong(2), r.getInt(3), Optional.ofNullable(r.getString(4))));
            }
            return out;
        } catch (SQLException e) {
            throw fail("read pending files", e);
        }
    }

    private JobCounts.Tally counts(String sql) {
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return new JobCounts.Tally(r.getLong(1), r.getLong(2));
        } catch (SQLException e) {
            throw fail("count files", e);
        }
    }

    private boolean hasTable(String name) {
        try {
            return dialect.hasTable(connection, name);
        } catch (SQLException e) {
            throw fail("read the schema", e);
        }
    }

    private boolean hasColumn(String table, String column) {
        try {
            return dialect.hasColumn(connection, table, column);
        } catch (SQLException e) {
            throw fail("read the schema", e);
        }
    }

    /**
     * The hosts of a shared job: its {@code limit} latest runs with what each holds now and has copied, newest
     * first (the heartbeat shows whether a run without an end is alive).
     */
    public List<dev.duplex.report.HostRun> hostRuns(int limit) {
        String now = dialect.nowMillis();
        String sql = "SELECT r.host, r.started, r.ended, r.outcome, coalesce(r.files_copied, 0), "
                + "coalesce(r.bytes_copied, 0), " + now + " - r.heartbeat, "
                + "(SELECT count(*) FROM files f WHERE f.claimed_by = r.host AND f.lease_until > " + now + "), "
                + "(SELECT coalesce(sum(size), 0) FROM files f WHERE f.claimed_by = r.host AND f.lease_until > "
                + now + ") FROM runs r WHERE r.host IS NOT NULL ORDER BY r.id DESC LIMIT " + limit;
        List<dev.duplex.report.HostRun> out = new ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                Instant started = Instant.parse(r.getString(2));
                Optional<Instant> ended = Optional.ofNullable(r.getString(3)).map(Instant::parse);
                long silentMs = r.getLong(7);
                boolean noHeartbeat = r.wasNull();
                out.add(new dev.duplex.report.HostRun(r.getString(1), started, ended,
                        Optional.ofNullable(r.getString(4)), r.getLong(5), r.getLong(6),
                        noHeartbeat ? Optional.empty() : Optional.of(java.time.Duration.ofMillis(silentMs)),
                        r.getLong(8), r.getLong(9)));
            }
            return out;
        } catch (SQLException e) {
            throw fail("read the hosts' runs", e);
        }
    }

    private BacklogException fail(String what, SQLException e) {
        return new BacklogException("job db " + path + ": cannot " + what + ": " + e.getMessage(), e);
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // a read-only connection holds nothing that could be lost
        }
    }
}
