package dev.duplex.backlog;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The job connection as the tables share it: writes join an open transaction that is committed every
 * {@value #BATCH_ROWS} rows and whenever {@link #commit()} is called; rows buffered by a table are written before
 * any statement runs. Job thread only.
 */
final class Sql {
    static final int BATCH_ROWS = 10_000;

    private final String name;
    private final Connection connection;
    private final Dialect dialect;
    private Runnable flushBuffered = () -> { };
    private int uncommitted;

    Sql(String name, Connection connection, Dialect dialect) {
        this.name = name;
        this.connection = connection;
        this.dialect = dialect;
    }

    Dialect dialect() {
        return dialect;
    }

    /** Registers what writes the rows a table buffers (file upserts), run before every statement and commit. */
    void flushBufferedWith(Runnable flush) {
        this.flushBuffered = flush;
    }

    /** The db's file, or its URL, for messages. */
    String name() {
        return name;
    }

    /** The connection, after writing any buffered rows: every statement sees the rows recorded before it. */
    Connection use() {
        flushBuffered.run();
        return connection;
    }

    /** The connection without flushing (for the table that does the flushing). */
    Connection raw() {
        return connection;
    }

    void counted(int rows) {
        uncommitted += rows;
        if (uncommitted >= BATCH_ROWS) {
            commit();
        }
    }

    void counted() {
        counted(1);
    }

    void commit() {
        flushBuffered.run();
        try {
            connection.commit();
            uncommitted = 0;
        } catch (SQLException e) {
            throw fail("commit", e);
        }
    }

    void rollback() {
        try {
            connection.rollback();
            uncommitted = 0;
        } catch (SQLException e) {
            throw fail("roll back", e);
        }
    }

    BacklogException fail(String what, SQLException e) {
        return new BacklogException("state db " + name + ": cannot " + what + ": " + e.getMessage()
                + DbTrouble.advice(e), e);
    }
}
