package dev.duplex.backlog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * What differs between the two databases a job's tables live in: SQLite (one host, the default) and PostgreSQL
 * (several hosts on one job). The tables are written once, in SQLite's words; {@link #ddl} turns them into
 * PostgreSQL's (64-bit integers, byte-order text so rows sort as in SQLite, a serial key).
 */
public enum Dialect {
    SQLITE,
    POSTGRES;

    /** A table definition written for SQLite, as this database takes it. */
    String ddl(String sqlite) {
        if (this == SQLITE) {
            return sqlite;
        }
        return sqlite.replace("INTEGER PRIMARY KEY AUTOINCREMENT", "BIGSERIAL PRIMARY KEY")
                .replaceAll("\\bINTEGER\\b", "BIGINT")
                .replaceAll("\\bREAL\\b", "DOUBLE PRECISION")
                .replaceAll("\\bTEXT\\b", "TEXT COLLATE \"C\"");
    }

    /** The database's clock in milliseconds since the epoch: leases are measured against it, never a host's. */
    String nowMillis() {
        return this == POSTGRES ? "(extract(epoch from clock_timestamp()) * 1000)::bigint"
                : "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)";
    }

    /** Adds a column that tables of an earlier version lack (created empty). */
    void addColumnIfMissing(Statement s, String table, String column, String definition) throws SQLException {
        if (this == POSTGRES) {
            s.execute("ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS " + column + " " + ddl(definition));
            return;
        }
        if (!hasColumn(s.getConnection(), table, column)) {
            s.execute("ALTER TABLE " + table + " ADD COLUMN " + column + " " + definition);
        }
    }

    boolean hasTable(Connection c, String table) throws SQLException {
        String query = this == POSTGRES
                ? "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?"
                : "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?";
        try (PreparedStatement p = c.prepareStatement(query)) {
            p.setString(1, table.toLowerCase(Locale.ROOT));
            try (ResultSet r = p.executeQuery()) {
                return r.next();
            }
        }
    }

    boolean hasColumn(Connection c, String table, String column) throws SQLException {
        if (this == POSTGRES) {
            try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM information_schema.columns "
                    + "WHERE table_schema = current_schema() AND table_name = ? AND column_name = ?")) {
                p.setString(1, table);
                p.setString(2, column);
                try (ResultSet r = p.executeQuery()) {
                    return r.next();
                }
            }
        }
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("PRAGMA table_info(" + table + ")")) {
            while (r.next()) {
                if (column.equals(r.getString("name"))) {
                    return true;
                }
            }
            return false;
        }
    }
}
