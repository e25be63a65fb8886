package dev.duplex.backlog;

import dev.duplex.report.RunCounts;
import dev.duplex.report.RunEnd;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;

/** The {@code runs} table: one row per real run, written at its start and completed at its end. */
final class RunTable {
    private final Sql sql;

    RunTable(Sql sql) {
        this.sql = sql;
    }

    /** Records the start of a run, committed at once so a concurrent {@code status} sees it. */
    long start(Instant started, long pid, String options, String host) {
        boolean returning = sql.dialect() == Dialect.POSTGRES;
        String insert = "INSERT INTO runs(started, pid, options, host, heartbeat) VALUES (?,?,?,?,"
                + sql.dialect().nowMillis() + ")" + (returning ? " RETURNING id" : "");
        try (PreparedStatement p = sql.use().prepareStatement(insert)) {
            p.setString(1, started.toString());
            p.setLong(2, pid);
            p.setString(3, options);
            p.setString(4, host);
            long runId;
            if (returning) {
                try (ResultSet r = p.executeQuery()) {
                    r.next();
                    runId = r.getLong(1);
                }
            } else {
                p.executeUpdate();
                // last_insert_rowid(), not getGeneratedKeys(): the connection is configured without generated keys
                try (Statement id = sql.raw().createStatement();
                     ResultSet r = id.executeQuery("SELECT last_insert_rowid()")) {
                    r.next();
                    runId = r.getLong(1);
                }
            }
            sql.commit();
            return runId;
        } catch (SQLException e) {
            throw sql.fail("record the start of this run", e);
        }
    }

    /** Completes a run's row with how it ended; committed at once. */
    void finish(long runId, RunEnd end) {
        try (PreparedStatement p = sql.use().prepareStatement("""
                UPDATE runs SET ended=?, outcome=?, exit_code=?, files_copied=?, bytes_copied=?, files_skipped=?,
                  files_failed=?, files_deferred=?, files_deleted=?, pending_files=?, average_bytes_per_second=?,
                  error=?
                WHERE id=?""")) {
            RunCounts c = end.counts();
            p.setString(1, end.ended().toString());
            p.setString(2, end.outcome());
            p.setInt(3, end.exitCode());
            p.setLong(4, c.filesCopied());
            p.setLong(5, c.bytesCopied());
            p.setLong(6, c.filesSkipped());
            p.setLong(7, c.filesFailed());
            p.setLong(8, c.filesDeferred());
            p.setLong(9, c.filesDeleted());
            p.setLong(10, c.pendingFiles());
            p.setDouble(11, c.averageBytesPerSecond());
            p.setString(12, end.error().orElse(null));
            p.setLong(13, runId);
            p.executeUpdate();
            sql.commit();
        } catch (SQLException e) {
            throw sql.fail("record the end of this run", e);
        }
    }
}
