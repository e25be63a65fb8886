package dev.duplex.backlog;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * A job shared by several hosts through one PostgreSQL database: which host scans (an advisory lock, released by
 * the server when that host's connection dies), how a host claims pending files ({@link ClaimedRows}: batches
 * taken with {@code FOR UPDATE SKIP LOCKED} under a lease measured by the database's clock), the leases kept alive
 * ({@link LeaseKeeper}), files a dead host left prepared, and whether the work after the transfer (links, mirror
 * cleanup, directory times) was done for the current scan. Job thread, except where a class says otherwise.
 */
public final class SharedBacklog implements AutoCloseable {
    static final long SCHEMA_LOCK = 0x6475706c6578_01L;
    static final long LEAD_LOCK = 0x6475706c6578_02L;
    /** A claim's batch: at most this many files and about this many bytes (at least one file). */
    static final int CLAIM_FILES = 64;
    static final long CLAIM_BYTES = 64L << 20;
    private static final String AFTER_DONE = "after_transfer_done_for_scan";
    private static final String LEADER = "scan_leader";

    /** This run as the other hosts see it: {@code host/pid}, holding files for {@code lease} at a time. */
    public record Worker(String host, long pid, Duration lease) {
        public String name() {
            return host + "/" + pid;
        }

        /** The name as a SQL string literal. */
        String quoted() {
            return "'" + name().replace("'", "''") + "'";
        }

        long leaseMillis() {
            return lease.toMillis();
        }

        /** This process on this machine, with the given lease. */
        public static Worker here(Duration lease) {
            return new Worker(localHost(), ProcessHandle.current().pid(), lease);
        }

        /** This machine's name ({@code $HOSTNAME}, else the resolver's), as the runs table and stats show it. */
        public static String localHost() {
            return PgPool.hostName();
        }
    }

    /** Where the shared backlog stands: files not yet tried, files mid-commit, files other hosts hold now. */
    public record Outstanding(long untried, long prepared, long heldByOthers) {
        public boolean none() {
            return untried == 0 && prepared == 0;
        }
    }

    private final Sql sql;
    private final SideConnections sides;
    private final PathNames names;
    private final Worker worker;
    /** The job's own facts, not per host: the leader, the scan the work after the transfer was done for. */
    private final JobSettings jobFacts;
    private Connection leadConnection;
    private LeaseKeeper keeper;

    SharedBacklog(Sql sql, SideConnections sides, PathNames names, Worker worker) {
        this.sql = sql;
        this.sides = sides;
        this.names = names;
        this.worker = worker;
        this.jobFacts = new JobSettings(sql::use, sql.name(), "");
    }

    public Worker worker() {
        return worker;
    }

    /**
     * Tries to become the host that scans (or does the work after the transfer): true when this run now holds the
     * lead until {@link #endLead()}. The lock lives on a connection of its own; if this host dies, the server
     * releases it and another host's next try succeeds.
     */
    public boolean tryLead() {
        try {
            Connection c = sides.open();
            try (Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT pg_try_advisory_lock(" + LEAD_LOCK + ")")) {
                r.next();
                boolean held = r.getBoolean(1);
                c.commit();
                if (!held) {
                    c.close();
                    return false;
                }
                leadConnection = c;
                jobFacts.set(LEADER, worker.name());
                sql.commit();
                return true;
            } catch (SQLException e) {
                c.close();
                throw e;
            }
        } catch (SQLException e) {
            throw sql.fail("take the lead of the shared job", e);
        }
    }

    /** Gives the lead up (a no-op when not held). */
    public void endLead() {
        if (leadConnection == null) {
            return;
        }
        try (Connection c = leadConnection; Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_unlock(" + LEAD_LOCK + ")");
            c.commit();
        } catch (SQLException e) {
            // the connection is gone: the server has released the lock with it
        } finally {
            leadConnection = null;
        }
    }

    /** The host that last took the lead, for "waiting for ..." notices. */
    public Optional<String> leader() {
        return jobFacts.value(LEADER);
    }

    /** Counts what is left of the backlog, as every host sees it once committed. */
    public Outstanding outstanding() {
        String now = sql.dialect().nowMillis();
        String query = "SELECT count(*) FILTER (WHERE status='pending' AND attempts=0), "
                + "count(*) FILTER (WHERE status='prepared'), "
                + "count(*) FILTER (WHERE lease_until > " + now + " AND claimed_by <> " + worker.quoted() + ") "
                + "FROM files WHERE status IN ('pending','prepared')";
        try (Statement s = sql.use().createStatement(); ResultSet r = s.executeQuery(query)) {
            r.next();
            Outstanding o = new Outstanding(r.getLong(1), r.getLong(2), r.getLong(3));
            sql.commit();
            return o;
        } catch (SQLException e) {
            throw sql.fail("read the shared backlog", e);
        }
    }

    /**
     * Takes over files another host left prepared (renames under way) and whose lease has expired: they become this
     * run's, so {@link BacklogStore#preparedFiles()} returns them for rolling forward or back.
     *
     * @return how many were taken over
     */
    public int takeOverPrepared() {
        String now = sql.dialect().nowMillis();
        try (Statement s = sql.use().createStatement()) {
            int n = s.executeUpdate("UPDATE files SET claimed_by=" + worker.quoted() + ", lease_until=" + now + " + "
                    + worker.leaseMillis() + " WHERE status='prepared' AND (lease_until IS NULL OR lease_until < "
                    + now + ")");
            sql.commit();
            return n;
        } catch (SQLException e) {
            throw sql.fail("take over files other hosts left prepared", e);
        }
    }

    /** Whether the work after the transfer was done for this scan (by any host). */
    public boolean afterTransferDone(long scanId) {
        return jobFacts.value(AFTER_DONE).map(v -> v.equals(Long.toString(scanId)))
                .orElse(false);
    }

    public void markAfterTransferDone(long scanId) {
        jobFacts.set(AFTER_DONE, Long.toString(scanId));
        sql.commit();
    }

    /**
     * Claims pending files for the transfer, in batches of at most {@code maxFiles} files and about
     * {@code maxBytes} bytes (at least one file); close it when the transfer has ended.
     */
    public ClaimedRows openClaims(ClaimedRows.Observer observer) {
        return openClaims(CLAIM_FILES, CLAIM_BYTES, observer);
    }

    /** Claims with other batch sizes (tests, benchmarks). */
    public ClaimedRows openClaims(int maxFiles, long maxBytes, ClaimedRows.Observer observer) {
        try {
            return new ClaimedRows(sides.open(), names, worker, sql.dialect(), maxFiles, maxBytes, observer,
                    () -> keeper != null && keeper.lost());
        } catch (SQLException e) {
            throw sql.fail("open a connection for claiming files", e);
        }
    }

    /**
     * Starts renewing this run's leases (and its row's heartbeat and progress) every quarter lease, on a thread of
     * its own; when renewing has failed for half a lease, {@code onLost} runs once (the run must stop before
     * another host may take its files over).
     */
    public void keepLeases(LongSupplier filesCopied, LongSupplier bytesCopied, Runnable onLost) {
        keeper = new LeaseKeeper(sides, worker, sql.dialect(), filesCopied, bytesCopied, onLost);
        keeper.start();
    }

    /** Whether the leases could not be renewed in time: this run's files may be another host's now. */
    public boolean leasesLost() {
        return keeper != null && keeper.lost();
    }

    /** Stops renewing leases, and gives the lead up. */
    @Override
    public void close() {
        if (keeper != null) {
            keeper.close();
        }
        endLead();
    }
}
