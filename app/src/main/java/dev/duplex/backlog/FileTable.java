package dev.duplex.backlog;

import dev.duplex.tree.FileMetadata;
import dev.duplex.tree.RelPath;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code files} table: the contract's one row per source file, from the scan's upsert to synced. */
final class FileTable {
    static final int UPSERT_ROWS = 64;

    private final Sql sql;
    private final PathNames names;
    private final List<Upsert> upserts = new ArrayList<>(UPSERT_ROWS);
    private PreparedStatement upsertFiles;
    private PreparedStatement markSynced;
    private PreparedStatement markFailed;
    private PreparedStatement markPrepared;
    /** In a job shared by several hosts, rows are changed only while this run holds them ({@code ""} otherwise). */
    private final String owned;
    private final Optional<SharedBacklog.Worker> worker;

    FileTable(Sql sql, PathNames names, Optional<SharedBacklog.Worker> worker) {
        this.sql = sql;
        this.names = names;
        this.worker = worker;
        this.owned = worker.map(w -> " AND claimed_by=" + w.quoted()).orElse("");
        sql.flushBufferedWith(this::flushUpserts);
    }

    private record Upsert(FileRow row, FileStatus status, long scanId) {}

    /**
     * Inserts or updates a scanned source file. The stored hash is kept when size and mtime are unchanged; the
     * attempt counter restarts, so a rescan retries failed files. Rows are written {@value #UPSERT_ROWS} per
     * statement (a statement per row cost more than the scan's stat calls).
     */
    void upsert(FileRow row, FileStatus status, long scanId) {
        upserts.add(new Upsert(row, status, scanId));
        if (upserts.size() == UPSERT_ROWS) {
            flushUpserts();
        }
    }

    void discardBuffered() {
        upserts.clear();
    }

    private void flushUpserts() {
        if (upserts.isEmpty()) {
            return;
        }
        try {
            PreparedStatement p;
            if (upserts.size() == UPSERT_ROWS) {
                if (upsertFiles == null) {
                    upsertFiles = sql.raw().prepareStatement(upsertSql(UPSERT_ROWS));
                }
                p = upsertFiles;
            } else {
                p = sql.raw().prepareStatement(upsertSql(upserts.size()));
            }
            try {
                int i = 1;
                for (Upsert u : upserts) {
                    i = bindUpsert(p, i, u);
                }
                p.executeUpdate();
            } finally {
                if (p != upsertFiles) {
                    p.close();
                }
            }
            int rows = upserts.size();
            upserts.clear();
            sql.counted(rows);
        } catch (SQLException e) {
            RelPath first = upserts.get(0).row().path();
            upserts.clear();
            throw sql.fail("record " + names.sourceName(first) + " and the files scanned after it", e);
        }
    }

    private static String upsertSql(int rows) {
        StringBuilder text = new StringBuilder("""
                INSERT INTO files(source_path, dest_path, dest2_path, created, changed, modified, accessed,
                                  permissions, size, status, scan_id, needs) VALUES """);
        for (int r = 0; r < rows; r++) {
            text.append(r == 0 ? "" : ",").append("(?,?,?,?,?,?,?,?,?,?,?,?)");
        }
        return text.append("""

                ON CONFLICT(source_path) DO UPDATE SET
                  dest_path=excluded.dest_path, dest2_path=excluded.dest2_path,
                  created=excluded.created, changed=excluded.changed, accessed=excluded.accessed,
                  permissions=excluded.permissions,
                  hash=CASE WHEN files.size=excluded.size AND files.modified=excluded.modified THEN files.hash END,
                  algo=CASE WHEN files.size=excluded.size AND files.modified=excluded.modified THEN files.algo END,
                  modified=excluded.modified, size=excluded.size, status=excluded.status,
                  scan_id=excluded.scan_id, needs=excluded.needs, error=NULL, attempts=0, claimed_by=NULL,
                  lease_until=NULL""").toString();
    }

    private int bindUpsert(PreparedStatement p, int i, Upsert u) throws SQLException {
        FileRow row = u.row();
        FileMetadata m = row.metadata();
        p.setString(i++, names.sourceName(row.path()));
        p.setString(i++, names.destinationName(0, row.path()));
        p.setString(i++, names.destinations() > 1 ? names.destinationName(1, row.path()) : null);
        p.setString(i++, m.created().isPresent() ? IsoTime.format(m.created().get()) : null);
        p.setString(i++, m.changed().isPresent() ? IsoTime.format(m.changed().get()) : null);
        p.setString(i++, IsoTime.format(m.modified()));
        p.setString(i++, IsoTime.format(m.accessed()));
        p.setString(i++, m.permissions());
        p.setLong(i++, m.sizeBytes());
        p.setString(i++, u.status().dbValue());
        p.setLong(i++, u.scanId());
        p.setInt(i++, u.status() == FileStatus.SYNCED ? 0 : row.targetMask());
        return i;
    }

    BacklogCounts counts(String where) {
        try (Statement s = sql.use().createStatement();
             ResultSet r = s.executeQuery("SELECT count(*), coalesce(sum(size),0) FROM files WHERE " + where)) {
            r.next();
            return new BacklogCounts(r.getLong(1), r.getLong(2));
        } catch (SQLException e) {
            throw sql.fail("read the backlog", e);
        }
    }

    /** Marks a file synced with the hash of what was copied and the metadata it had when read. */
    void markSynced(RelPath path, FileMetadata seen, String algo, String hash, Instant when) {
        try {
            if (markSynced == null) {
                markSynced = sql.use().prepareStatement("""
                        UPDATE files SET status='synced', needs=0, hash=?, algo=?, size=?, modified=?, accessed=?,
                          created=?, changed=?, permissions=?, error=NULL, synced_at=?, lease_until=NULL
                        WHERE source_path=?""" + owned);
            }
            sql.use();
            markSynced.setString(1, hash);
            markSynced.setString(2, algo);
            markSynced.setLong(3, seen.sizeBytes());
            markSynced.setString(4, IsoTime.format(seen.modified()));
            markSynced.setString(5, IsoTime.format(seen.accessed()));
            markSynced.setString(6, seen.created().map(IsoTime::format).orElse(null));
            markSynced.setString(7, seen.changed().map(IsoTime::format).orElse(null));
            markSynced.setString(8, seen.permissions());
            markSynced.setString(9, IsoTime.format(when));
            markSynced.setString(10, names.sourceName(path));
            markSynced.executeUpdate();
            sql.counted();
        } catch (SQLException e) {
            throw sql.fail("mark " + names.sourceName(path) + " synced", e);
        }
    }

    /**
     * Records that complete temp files exist on every destination that needs it; committed at once. In a shared job
     * only while this run's lease on the file is valid by the database's clock: false means another host may have
     * taken the file over, and the temps must not be renamed.
     */
    boolean markPrepared(RelPath path, FileMetadata seen, String algo, String hash) {
        try {
            if (markPrepared == null) { // a shared job prepares every file: one statement, prepared once
                String leaseValid = worker.isPresent() ? owned + " AND lease_until > " + sql.dialect().nowMillis() : "";
                markPrepared = sql.use().prepareStatement("""
                        UPDATE files SET status='prepared', hash=?, algo=?, size=?, modified=?, accessed=?, error=NULL
                        WHERE source_path=?""" + leaseValid);
            }
            sql.use();
            markPrepared.setString(1, hash);
            markPrepared.setString(2, algo);
            markPrepared.setLong(3, seen.sizeBytes());
            markPrepared.setString(4, IsoTime.format(seen.modified()));
            markPrepared.setString(5, IsoTime.format(seen.accessed()));
            markPrepared.setString(6, names.sourceName(path));
            int rows = markPrepared.executeUpdate();
            sql.commit();
            return worker.isEmpty() || rows == 1;
        } catch (SQLException e) {
            throw sql.fail("mark " + names.sourceName(path) + " prepared", e);
        }
    }

    List<PreparedFile> preparedFiles() {
        String query = "SELECT source_path, size, modified, accessed, needs, algo, hash, created, changed, permissions "
                + "FROM files WHERE status='prepared'" + owned;
        List<PreparedFile> out = new ArrayList<>();
        try (Statement s = sql.use().createStatement(); ResultSet r = s.executeQuery(query)) {
            while (r.next()) {
                // the whole recorded metadata: a roll forward marks the row synced with it
                FileMetadata m = new FileMetadata(r.getLong(2), IsoTime.parse(r.getString(3)),
                        IsoTime.parse(r.getString(4)), optionalInstant(r.getString(8)),
                        optionalInstant(r.getString(9)), r.getString(10));
                out.add(new PreparedFile(new FileRow(names.pathOfSource(r.getString(1)),
                        FileRow.targetsOf(r.getInt(5), names.destinations()), m), r.getString(6), r.getString(7)));
            }
            return out;
        } catch (SQLException e) {
            throw sql.fail("read prepared files", e);
        }
    }

    static Optional<Instant> optionalInstant(String s) {
        return s == null ? Optional.empty() : Optional.of(IsoTime.parse(s));
    }

    void drop(RelPath path) {
        update("DELETE FROM files WHERE source_path=?" + owned, path, null, "drop ", " from the backlog");
    }

    void markPendingAgain(RelPath path, String reason) {
        update("UPDATE files SET status='pending', hash=NULL, error=?, attempts=0, claimed_by=NULL, lease_until=NULL "
                + "WHERE source_path=?" + owned, path, reason,
                "put ", " back in the backlog");
    }

    /** Counts an attempt on a file with why it did not complete, leaving its status as it is. */
    void noteAttempt(RelPath path, String error, String what) {
        update("UPDATE files SET error=?, attempts=attempts+1, lease_until=NULL WHERE source_path=?" + owned, path,
                error, what, "");
    }

    /** Keeps (or puts back) the file pending with the reason, and counts the attempt. */
    void markFailed(RelPath path, String error) {
        try {
            if (markFailed == null) {
                markFailed = sql.use().prepareStatement(
                        "UPDATE files SET status='pending', error=?, attempts=attempts+1, lease_until=NULL "
                                + "WHERE source_path=?" + owned);
            }
            sql.use();
            markFailed.setString(1, error);
            markFailed.setString(2, names.sourceName(path));
            markFailed.executeUpdate();
            sql.counted();
        } catch (SQLException e) {
            throw sql.fail("record the failure of " + names.sourceName(path), e);
        }
    }

    private void update(String statement, RelPath path, String text, String what, String whatAfter) {
        try (PreparedStatement p = sql.use().prepareStatement(statement)) {
            int i = 1;
            if (text != null) {
                p.setString(i++, text);
            }
            p.setString(i, names.sourceName(path));
            p.executeUpdate();
            sql.counted();
        } catch (SQLException e) {
            throw sql.fail(what + names.sourceName(path) + whatAfter, e);
        }
    }
}
