package dev.duplex.backlog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a run's leases alive: every quarter lease it moves the lease of every file this run holds to a full lease
 * from now (the database's clock), and writes its {@code runs} row's heartbeat and progress, on a connection and a
 * thread of its own. When renewing has failed for half a lease (the database unreachable), the run is told once to
 * stop: its files would soon be another host's.
 */
final class LeaseKeeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);

    private final SideConnections sides;
    private Connection connection;
    private final SharedBacklog.Worker worker;
    private final Dialect dialect;
    private final LongSupplier filesCopied;
    private final LongSupplier bytesCopied;
    private final Runnable onLost;
    private final Thread thread;
    private volatile boolean lost;
    private volatile boolean stopping;

    LeaseKeeper(SideConnections sides, SharedBacklog.Worker worker, Dialect dialect, LongSupplier filesCopied,
                LongSupplier bytesCopied, Runnable onLost) {
        this.sides = sides;
        this.worker = worker;
        this.dialect = dialect;
        this.filesCopied = filesCopied;
        this.bytesCopied = bytesCopied;
        this.onLost = onLost;
        this.thread = new Thread(this::loop, "duplex-lease-keeper");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    boolean lost() {
        return lost;
    }

    private void loop() {
        long period = Math.max(worker.leaseMillis() / 4, 50);
        long lastRenewed = System.nanoTime();
        while (!stopping) {
            try {
                TimeUnit.MILLISECONDS.sleep(period);
            } catch (InterruptedException e) {
                return;
            }
            if (stopping) {
                return;
            }
            try {
                renew();
                lastRenewed = System.nanoTime();
            } catch (SQLException e) {
                LOG.warn("cannot renew the leases of {}: {}", worker.name(), e.getMessage());
                closeQuietly(); // a server restart breaks the connection: the next try takes a new one
                if (!lost && System.nanoTime() - lastRenewed > TimeUnit.MILLISECONDS.toNanos(worker.leaseMillis() / 2)) {
                    lost = true;
                    onLost.run();
                }
            }
        }
    }

    private void renew() throws SQLException {
        if (connection == null) {
            connection = sides.open();
        }
        String now = dialect.nowMillis();
        // rows locked by this run's own job connection are being finished (synced, failed, prepared): skipped, not
        // waited for; their new state needs no lease
        try (PreparedStatement files = connection.prepareStatement("UPDATE files SET lease_until=" + now + " + "
                + worker.leaseMillis() + " WHERE source_path IN (SELECT source_path FROM files WHERE claimed_by=? "
                + "AND lease_until IS NOT NULL FOR UPDATE SKIP LOCKED)");
             PreparedStatement run = connection.prepareStatement("UPDATE runs SET heartbeat=" + now
                     + ", files_copied=?, bytes_copied=? WHERE host=? AND ended IS NULL")) {
            files.setQueryTimeout(Math.max(1, (int) (worker.leaseMillis() / 4000)));
            files.setString(1, worker.name());
            files.executeUpdate();
            run.setLong(1, filesCopied.getAsLong());
            run.setLong(2, bytesCopied.getAsLong());
            run.setString(3, worker.name());
            run.executeUpdate();
            connection.commit();
        }
    }

    private void closeQuietly() {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // broken already
        }
        connection = null;
    }

    @Override
    public void close() {
        stopping = true;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly();
    }
}
