package dev.duplex.backlog;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;

/** How the job db is connected to: settings, the integrity check, the schema, and read-only side connections. */
final class StoreConnections {
    private StoreConnections() {
    }

    /**
     * The job connection (transactions off auto-commit): a writable one is checked and given the schema; any
     * failure is a {@link BacklogException} with advice.
     */
    static Connection open(Path path, boolean readOnly) {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(10_000);
        config.setReadOnly(readOnly);
        config.setGetGeneratedKeys(false); // never used; asking for them costs a query per insert
        if (!readOnly) {
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        }
        try {
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + path, config.toProperties());
            if (!readOnly) {
                checkIntegrity(c, path);
                Schema.create(c);
            } else {
                try (Statement s = c.createStatement()) {
                    s.executeQuery("SELECT count(*) FROM files").close();
                }
            }
            c.setAutoCommit(false);
            return c;
        } catch (SQLException e) {
            String advice = DbTrouble.advice(e);
            throw new BacklogException("cannot use the state db " + path + ": " + e.getMessage()
                    + (advice.isEmpty() ? " (is it a duplex db, on a writable local disk, with space left?)" : advice),
                    e);
        }
    }

    /**
     * A damaged db is refused before anything else happens, so a run never changes a destination and then stops
     * half way on a bad page. {@code quick_check} reads every page once: about 0.4 s per million files from cache.
     */
    private static void checkIntegrity(Connection c, Path path) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("PRAGMA quick_check(1)")) {
            String result = r.next() ? r.getString(1) : "no result";
            if (!"ok".equals(result)) {
                c.close();
                throw new BacklogException("the state db " + path + " is damaged (SQLite quick_check: " + result + ")"
                        + DbTrouble.damaged(), new SQLException(result));
            }
        }
    }

    /** A second, read-only connection to a db for paging through rows while the job connection writes. */
    static Connection readOnly(Path db) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(10_000);
        config.setGetGeneratedKeys(false);
        return DriverManager.getConnection("jdbc:sqlite:" + db, config.toProperties());
    }
}
