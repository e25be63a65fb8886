package dev.duplex.backlog;

import dev.duplex.tree.FileMetadata;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.BooleanSupplier;

/**
 * The pending files this run claims from a shared backlog, batch by batch as the transfer takes them: rows not yet
 * tried, held by nobody or by a host whose lease has expired, locked with {@code FOR UPDATE SKIP LOCKED} so hosts
 * claiming at the same moment take different rows, and marked as this run's with a lease. A batch is at most
 * {@code maxFiles} files and about {@code maxBytes} bytes, so a host never sits on more than it is about to copy.
 * While the files handed out and not yet settled reach twice {@code maxBytes}, it claims no more (a host with four lanes
 * would otherwise hold four 10 GB files while other hosts idle). Ends when nothing is claimable now (other hosts
 * may still hold files; the job waits for those) or when the leases were lost. Reader threads, one at a time (the transfer serialises them); a connection of its own.
 */
public final class ClaimedRows implements Iterator<FileRow>, HeldRows, AutoCloseable {
    /** Hears about files taken over from a host whose lease expired (it died, or lost the database). */
    public interface Observer {
        void tookOver(String path, String fromHost);
    }

    private final Connection connection;
    private final PathNames names;
    private final SharedBacklog.Worker worker;
    private final int maxFiles;
    private final long maxBytes;
    private final Observer observer;
    private final BooleanSupplier leasesLost;
    private final PreparedStatement select;
    private final PreparedStatement claim;
    private final Deque<FileRow> buffered = new ArrayDeque<>();
    private boolean exhausted;
    private long claimed;
    /**
     * Claims go on after the last file this run claimed: from the start each time, the index walk would step over
     * every row version the hosts have finished and not yet vacuumed (quadratic on a large backlog). Once nothing is
     * found after it, one more look from the start picks up files given back or left by a dead host.
     */
    private String after = "";
    /** Bytes of the files handed out and not yet settled: no new claim while they reach twice the batch budget. */
    private long heldBytes;

    ClaimedRows(Connection connection, PathNames names, SharedBacklog.Worker worker, Dialect dialect, int maxFiles,
                long maxBytes, Observer observer, BooleanSupplier leasesLost) throws SQLException {
        this.connection = connection;
        this.names = names;
        this.worker = worker;
        this.maxFiles = maxFiles;
        this.maxBytes = maxBytes;
        this.observer = observer;
        this.leasesLost = leasesLost;
        String now = dialect.nowMillis();
        this.select = connection.prepareStatement("SELECT source_path, size, modified, accessed, created, changed, "
                + "permissions, needs, claimed_by FROM files WHERE status='pending' AND attempts=0 "
                + "AND (lease_until IS NULL OR lease_until < " + now + ") AND source_path > ? "
                + "ORDER BY source_path LIMIT ? FOR UPDATE SKIP LOCKED");
        this.claim = connection.prepareStatement("UPDATE files SET claimed_by=?, lease_until=" + now + " + "
                + worker.leaseMillis() + " WHERE source_path = ANY (?)");
    }

    /** How many files this run has claimed. */
    public long claimed() {
        return claimed;
    }

    @Override
    public boolean hasNext() {
        if (buffered.isEmpty() && !exhausted) {
            if (heldBytes >= 2 * maxBytes) {
                // asked again when a file settles: a host holds only what it is about to copy (twice the batch, so
                // the next large file is read while the last one is committed)
                return false;
            }
            if (leasesLost.getAsBoolean()) {
                exhausted = true;
            } else {
                claimBatch();
                if (buffered.isEmpty() && !after.isEmpty()) {
                    after = "";
                    claimBatch();
                }
                exhausted = buffered.isEmpty();
            }
        }
        return !buffered.isEmpty();
    }

    @Override
    public FileRow next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        FileRow row = buffered.removeFirst();
        heldBytes += row.metadata().sizeBytes();
        return row;
    }

    @Override
    public void settled(FileRow row) {
        heldBytes -= row.metadata().sizeBytes();
    }

    private void claimBatch() {
        try {
            List<String> paths = new ArrayList<>();
            List<String> previous = new ArrayList<>();
            long bytes = 0;
            select.setString(1, after);
            select.setInt(2, maxFiles);
            try (ResultSet r = select.executeQuery()) {
                while (r.next()) {
                    long size = r.getLong(2);
                    if (!paths.isEmpty() && bytes + size > maxBytes) {
                        break; // the rest stay unclaimed (their row locks end with this transaction)
                    }
                    bytes += size;
                    FileMetadata m = new FileMetadata(size, IsoTime.parse(r.getString(3)), IsoTime.parse(r.getString(4)),
                            FileTable.optionalInstant(r.getString(5)), FileTable.optionalInstant(r.getString(6)),
                            r.getString(7));
                    String source = r.getString(1);
                    paths.add(source);
                    previous.add(r.getString(9));
                    buffered.add(new FileRow(names.pathOfSource(source), FileRow.targetsOf(r.getInt(8),
                            names.destinations()), m));
                }
            }
            if (!paths.isEmpty()) {
                Array array = connection.createArrayOf("text", paths.toArray());
                claim.setString(1, worker.name());
                claim.setArray(2, array);
                claim.executeUpdate();
            }
            connection.commit();
            claimed += paths.size();
            if (!paths.isEmpty()) {
                after = paths.get(paths.size() - 1);
            }
            for (int i = 0; i < paths.size(); i++) {
                if (previous.get(i) != null && !previous.get(i).equals(worker.name())) {
                    observer.tookOver(paths.get(i), previous.get(i));
                }
            }
        } catch (SQLException e) {
            buffered.clear();
            throw new BacklogException("cannot claim files from the shared backlog: " + e.getMessage(), e);
        }
    }

    /**
     * Gives back the files this run holds and has not finished (claimed but not started, or abandoned when the
     * run stopped), so other hosts need not wait for the lease. Call it after the job connection committed what
     * the run finished: rows still pending and held by this run are then the unfinished ones.
     */
    @Override
    public void close() {
        try (PreparedStatement release = connection.prepareStatement("UPDATE files SET claimed_by=NULL, "
                + "lease_until=NULL WHERE claimed_by=? AND status='pending' AND lease_until IS NOT NULL")) {
            release.setString(1, worker.name());
            release.executeUpdate();
            connection.commit();
        } catch (SQLException ignored) {
            // the database is gone: the leases expire on their own
        } finally {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // nothing held
            }
        }
    }
}
