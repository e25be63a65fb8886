package dev.duplex.backlog;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The connections of one run to a PostgreSQL job database, from a small HikariCP pool: the job connection, the
 * backlog reader's, the lease keeper's and the scan leader's. Opening it connects once, so an unreachable server
 * is reported at start (exit 4) with this host's name and the driver's reason, before anything is changed.
 */
final class PgPool implements AutoCloseable {
    static final int SIZE = 6;

    private final PgDatabase database;
    private final HikariDataSource pool;

    private PgPool(PgDatabase database, HikariDataSource pool) {
        this.database = database;
        this.pool = pool;
    }

    static PgPool open(PgDatabase database) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("duplex-db");
        config.setJdbcUrl(database.jdbcUrl());
        config.setDataSourceProperties(database.properties());
        config.setMaximumPoolSize(SIZE);
        config.setMinimumIdle(1);
        config.setAutoCommit(false);
        long timeoutMs = database.connectTimeoutSeconds() * 1000;
        config.setConnectionTimeout(Math.max(timeoutMs, 250));
        config.setInitializationFailTimeout(Math.max(timeoutMs, 1));
        config.setValidationTimeout(Math.min(5000, Math.max(timeoutMs, 250)));
        try {
            return new PgPool(database, new HikariDataSource(config));
        } catch (RuntimeException e) { // HikariPool.PoolInitializationException, with the driver's reason as cause
            throw unreachable(database, e);
        }
    }

    PgDatabase database() {
        return database;
    }

    /** A connection of the pool (transactions off auto-commit); close it to give it back. */
    Connection connection() throws SQLException {
        return pool.getConnection();
    }

    static BacklogException unreachable(PgDatabase database, Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new BacklogException("cannot use the job database " + database.describe() + " (as user "
                + database.user() + ") from host " + hostName() + ": " + reason
                + " (is the server running and reachable from this host? are PGUSER/PGPASSWORD or ~/.pgpass right?)",
                e);
    }

    /** This machine's name, as status and the runs table show it. */
    static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
