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

    static void create(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("""
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
            s.execute("""
                    CREATE TABLE IF NOT EXISTS dirs (
                      source_path TEXT PRIMARY KEY,
                      dest_path   TEXT NOT NULL,
                      dest2_path  TEXT,
                      modified    TEXT,
                      accessed    TEXT,
                      scan_id     INTEGER NOT NULL)""");
            s.execute("""
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
            s.execute("""
                    CREATE TABLE IF NOT EXISTS extras (
                      dest_path   TEXT PRIMARY KEY,
                      source_path TEXT NOT NULL,
                      is_dir      INTEGER NOT NULL,
                      excluded    INTEGER NOT NULL DEFAULT 0,
                      dest_index  INTEGER NOT NULL DEFAULT 0)""");
            addColumnIfMissing(s, "extras", "excluded", "INTEGER NOT NULL DEFAULT 0");
            addColumnIfMissing(s, "extras", "dest_index", "INTEGER NOT NULL DEFAULT 0");
            s.execute("CREATE TABLE IF NOT EXISTS job (key TEXT PRIMARY KEY, value TEXT)");
            s.execute("""
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
            createBisync(s);
            s.execute("INSERT OR IGNORE INTO job(key, value) VALUES ('schema_version', '" + VERSION + "')");
        }
    }

    /** A two-way job's tables ({@link BisyncTable}); empty in a one-way job's db. */
    private static void createBisync(Statement s) throws SQLException {
        s.execute("""
                CREATE TABLE IF NOT EXISTS bisync_state (
                  path TEXT PRIMARY KEY,
                  l_kind TEXT, l_size INTEGER, l_mtime TEXT, l_hash TEXT, l_file_id TEXT, l_target TEXT,
                  r_kind TEXT, r_size INTEGER, r_mtime TEXT, r_hash TEXT, r_file_id TEXT, r_target TEXT,
                  last_action TEXT, updated TEXT)""");
        s.execute("CREATE TABLE IF NOT EXISTS bisync_tombstones (path TEXT PRIMARY KEY, deleted TEXT NOT NULL, "
                + "hash TEXT)");
        s.execute("""
                CREATE TABLE IF NOT EXISTS bisync_conflicts (
                  path TEXT PRIMARY KEY, rule TEXT NOT NULL, l_size INTEGER, l_mtime TEXT, r_size INTEGER,
                  r_mtime TEXT, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL)""");
    }

    /** Brings a table of a db written by an earlier version up to date: a column added since is added empty. */
    private static void addColumnIfMissing(Statement s, String table, String column, String definition)
            throws SQLException {
        try (java.sql.ResultSet r = s.executeQuery("PRAGMA table_info(" + table + ")")) {
            while (r.next()) {
                if (column.equals(r.getString("name"))) {
                    return;
                }
            }
        }
        s.execute("ALTER TABLE " + table + " ADD COLUMN " + column + " " + definition);
    }
}
