package dev.duplex.backlog;

import dev.duplex.tree.RootFileSystem;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The job's own facts in the {@code job} table (key, value): which filters the backlog was scanned with, and which
 * file system each root was on. Written in the job connection's transaction; {@link BacklogStore} commits it.
 */
public final class JobSettings {
    private static final String FILTERS = "filters";
    private static final String FILE_SYSTEM = "file_system.";

    private final Supplier<Connection> connection;
    private final String db;
    private final String hostScope;

    /**
     * @param hostScope prefix of the keys that differ per host ({@code host.NAME.} in a job shared by several
     *     hosts, whose file systems each host sees with its own device numbers; {@code ""} otherwise)
     */
    JobSettings(Supplier<Connection> connection, String db, String hostScope) {
        this.connection = connection;
        this.db = db;
        this.hostScope = hostScope;
    }

    /**
     * The filters the backlog's last scan used ({@code ""} for none); empty for a db that never recorded them (one
     * written before filters existed, which had none).
     */
    public Optional<String> scannedFilters() {
        return value(FILTERS);
    }

    void recordScannedFilters(String filters) {
        set(FILTERS, filters);
    }

    /** The file system recorded for a root ({@code source}, {@code dest}, {@code dest2}). */
    public Optional<RootFileSystem> fileSystem(String root) {
        return value(hostScope + FILE_SYSTEM + root).flatMap(RootFileSystem::decode);
    }

    public void recordFileSystem(String root, RootFileSystem fileSystem) {
        set(hostScope + FILE_SYSTEM + root, fileSystem.encode());
    }

    Optional<String> value(String key) {
        try (PreparedStatement p = connection.get().prepareStatement("SELECT value FROM job WHERE key=?")) {
            p.setString(1, key);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? Optional.ofNullable(r.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw fail("read job settings", e);
        }
    }

    void set(String key, String value) {
        try (PreparedStatement p = connection.get().prepareStatement(
                "INSERT INTO job(key, value) VALUES (?,?) ON CONFLICT(key) DO UPDATE SET value=excluded.value")) {
            p.setString(1, key);
            p.setString(2, value);
            p.executeUpdate();
        } catch (SQLException e) {
            throw fail("write job settings", e);
        }
    }

    private BacklogException fail(String what, SQLException e) {
        return new BacklogException("state db " + db + ": cannot " + what + ": " + e.getMessage()
                + DbTrouble.advice(e), e);
    }
}
