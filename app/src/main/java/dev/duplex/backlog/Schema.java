package dev.duplex.backlog;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The state database's tables. {@code files} is the contract's table (one row per source file; {@code needs} has bit i set while destination i
 * still needs the file; status {@code prepared} means complete temp files exist and the renames are under way); {@code dirs}
 * holds source directories (so empty ones are created and their times applied); {@code links} holds source
 * symlinks, recreated as symlinks (never followed); {@code extras} holds destination
 * entries absent from the source at the last scan (or excluded by the filters, with {@code --delete-excluded}),
 * for mirror cleanup; {@code job} holds the job's identity and
 * scan bookkeeping; {@code runs} holds one row per real (not dry) run: written at its start, completed at its end,
 * also when it fails or is interrupted (a row without {@code ended} is a run still going, or one that was killed).
 */
final class Schema {
    static final int VERSION = 1;

    private Schema() {}

    /** A SQLite job db's tables. */
    static void create(Connection c) throws SQLException {
        create(c, Dialect.SQLITE);
    }

    /**
     * A PostgreSQL job's tables, created in one transaction under an advisory lock, so hosts starting together do
     * not trip over each other's CREATE; plus the index the claims of pending files walk.
     */
    static void createShared(Connection c) throws SQLException {
        if (sharedComplete(c)) {
            // ALTER TABLE ... IF NOT EXISTS takes an exclusive lock even when there is nothing to add: a host
            // joining a running job would wait behind (and deadlock with) the others' transactions
            return;
        }
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock(" + SharedBacklog.SCHEMA_LOCK + ")");
            if (sharedCompleteInTransaction(c)) { // another host created them while this one waited for the lock
                c.commit();
                return;
            }
            create(c, Dialect.POSTGRES);
            s.execute("CREATE INDEX IF NOT EXISTS files_claimable ON files(source_path) "
                    + "WHERE status='pending' AND attempts=0");
            s.execute("CREATE INDEX IF NOT EXISTS files_held ON files(claimed_by) WHERE lease_until IS NOT NULL");
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        }
    }

    /** Whether a shared job's tables are all there, up to the last column and index this version adds. */
    private static boolean sharedComplete(Connection c) throws SQLException {
        boolean complete = sharedCompleteInTransaction(c);
        c.commit();
        return complete;
    }

    private static boolean sharedCompleteInTransaction(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); java.sql.ResultSet r = s.executeQuery(
                "SELECT (SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema() "
                        + "AND table_name = 'runs' AND column_name = 'heartbeat') + (SELECT count(*) FROM pg_indexes "
                        + "WHERE schemaname = current_schema() AND indexname = 'files_held')")) {
            r.next();
            return r.getLong(1) == 2;
        }
    }

    private static void create(Connection c, Dialect d) throws SQLException {
        try (Statement s = c.createStatement()) {
            run(s, d, """
                    CREATE TABLE IF NOT EXISTS files (
                      source_path TEXT PRIMARY KEY,
                      dest_path   TEXT NOT NULL,
                      dest2_path  TEXT,
                      created     TEXT,
                      changed     TEXT,
                      modified    TEXT NOT NULL,
                      accessed    TEXT,
                      permissions TEXT,
                      hash        TEXT,
                      algo        TEXT,
                      size        INTEGER NOT NULL,
                      status      TEXT NOT NULL,
                      needs       INTEGER NOT NULL DEFAULT 0,
                      error       TEXT,
                      attempts    INTEGER NOT NULL DEFAULT 0,
                      synced_at   TEXT,
                      scan_id     INTEGER NOT NULL)""");
            run(s, d, """
                    CREATE TABLE IF NOT EXISTS dirs (
                      source_path TEXT PRIMARY KEY,
                      dest_path   TEXT NOT NULL,
                      dest2_path  TEXT,
                      modified    TEXT,
                      accessed    TEXT,
                      scan_id     INTEGER NOT NULL)""");
            run(s, d, """
                    CREATE TABLE IF NOT EXISTS links (
                      source_path TEXT PRIMARY KEY,
                      dest_path   TEXT NOT NULL,
                      dest2_path  TEXT,
                      target      TEXT NOT NULL,
                      modified    TEXT NOT NULL,
                      status      TEXT NOT NULL,
                      needs       INTEGER NOT NULL DEFAULT 0,
                      error       TEXT,
                      scan_id     INTEGER NOT NULL)""");
            run(s, d, """
                    CREATE TABLE IF NOT EXISTS extras (
                      dest_path   TEXT PRIMARY KEY,
                      source_path TEXT NOT NULL,
                      is_dir      INTEGER NOT NULL,
                      excluded    INTEGER NOT NULL DEFAULT 0,
                      dest_index  INTEGER NOT NULL DEFAULT 0)""");
            d.addColumnIfMissing(s, "extras", "excluded", "INTEGER NOT NULL DEFAULT 0");
            d.addColumnIfMissing(s, "extras", "dest_index", "INTEGER NOT NULL DEFAULT 0");
            // a job shared by several hosts: who holds a file, and until when (the database's clock, in ms)
            d.addColumnIfMissing(s, "files", "claimed_by", "TEXT");
            d.addColumnIfMissing(s, "files", "lease_until", "INTEGER");
            run(s, d, "CREATE TABLE IF NOT EXISTS job (key TEXT PRIMARY KEY, value TEXT)");
            run(s, d, """
                    CREATE TABLE IF NOT EXISTS runs (
                      id             INTEGER PRIMARY KEY AUTOINCREMENT,
                      started        TEXT NOT NULL,
                      ended          TEXT,
                      pid            INTEGER,
                      options        TEXT NOT NULL,
                      outcome        TEXT,
                      exit_code      INTEGER,
                      files_copied   INTEGER,
                      bytes_copied   INTEGER,
                      files_skipped  INTEGER,
                      files_failed   INTEGER,
                      files_deferred INTEGER,
                      files_deleted  INTEGER,
                      pending_files  INTEGER,
                      average_bytes_per_second REAL,
                      error          TEXT)""");
            d.addColumnIfMissing(s, "runs", "host", "TEXT");
            d.addColumnIfMissing(s, "runs", "heartbeat", "INTEGER");
            createBisync(s, d);
            run(s, d, "INSERT INTO job(key, value) VALUES ('schema_version', '" + VERSION + "') "
                    + "ON CONFLICT(key) DO NOTHING");
        }
    }

    /** A two-way job's tables ({@link BisyncTable}); empty in a one-way job's db. */
    private static void createBisync(Statement s, Dialect d) throws SQLException {
        run(s, d, """
                CREATE TABLE IF NOT EXISTS bisync_state (
                  path TEXT PRIMARY KEY,
                  l_kind TEXT, l_size INTEGER, l_mtime TEXT, l_hash TEXT, l_file_id TEXT, l_target TEXT,
                  r_kind TEXT, r_size INTEGER, r_mtime TEXT, r_hash TEXT, r_file_id TEXT, r_target TEXT,
                  last_action TEXT, updated TEXT)""");
        run(s, d, "CREATE TABLE IF NOT EXISTS bisync_tombstones (path TEXT PRIMARY KEY, deleted TEXT NOT NULL, "
                + "hash TEXT)");
        run(s, d, """
                CREATE TABLE IF NOT EXISTS bisync_conflicts (
                  path TEXT PRIMARY KEY, rule TEXT NOT NULL, l_size INTEGER, l_mtime TEXT, r_size INTEGER,
                  r_mtime TEXT, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL)""");
    }

    private static void run(Statement s, Dialect d, String definition) throws SQLException {
        s.execute(d.ddl(definition));
    }
}
