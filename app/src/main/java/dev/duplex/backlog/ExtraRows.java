package dev.duplex.backlog;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The extras of the last scan, files first, then directories deepest first, streamed from a read-only connection
 * of its own: WAL gives it a snapshot, so the deletions recorded meanwhile on the job's connection do not disturb
 * the iteration, and a mirror with millions of extras does not hold them all in memory.
 */
public final class ExtraRows implements Iterator<Extra>, AutoCloseable {
    private final Connection connection;
    private final Statement statement;
    private final ResultSet rows;
    private final PathNames names;
    private Extra next;
    private boolean done;

    ExtraRows(Connection connection, PathNames names, Dialect dialect) throws SQLException {
        this.connection = connection;
        this.names = names;
        this.statement = connection.createStatement();
        statement.setFetchSize(1000); // PostgreSQL streams only with a fetch size (and outside auto-commit)
        this.rows = statement.executeQuery("SELECT dest_path, source_path, is_dir, "
                + column(connection, dialect, "excluded") + ", " + column(connection, dialect, "dest_index")
                + " FROM extras ORDER BY is_dir, length(dest_path) DESC, "
                + "dest_path");
    }

    /** A db of an earlier version, read without writing (a dry run), may not have the column yet: 0 then. */
    private static String column(Connection c, Dialect dialect, String name) throws SQLException {
        return dialect.hasColumn(c, "extras", name) ? name : "0";
    }

    @Override
    public boolean hasNext() {
        if (next == null && !done) {
            try {
                if (rows.next()) {
                    next = new Extra(names.pathOfSource(rows.getString(2)), rows.getInt(5), rows.getInt(3) == 1,
                            rows.getInt(4) == 1);
                } else {
                    done = true;
                }
            } catch (SQLException e) {
                throw new BacklogException("cannot read the extra-file list: " + e.getMessage(), e);
            }
        }
        return next != null;
    }

    @Override
    public Extra next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Extra e = next;
        next = null;
        return e;
    }

    @Override
    public void close() {
        try {
            rows.close();
            statement.close();
            connection.close();
        } catch (SQLException ignored) {
            // a read-only connection: nothing to lose
        }
    }
}
