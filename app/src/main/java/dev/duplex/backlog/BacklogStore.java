package dev.duplex.backlog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import dev.duplex.report.RunCounts;
import dev.duplex.report.RunEnd;
import org.sqlite.SQLiteConfig;

/**
 * The job's SQLite state: the backlog of source files and what was synced. Owns the one read-write JDBC
 * connection, which only the job thread uses. Writes are batched: they join an open transaction that is
 * committed every {@value #BATCH_ROWS} rows and whenever {@link #commit()} is called.
 */
public final class BacklogStore implements AutoCloseable {
    /** How the {@code error} column of a deferred (not failed) pending file starts. */
    public static final String DEFERRED_PREFIX = "deferred: ";

    static final int BATCH_ROWS = 10_000;

    private final Path path;
    private final Connection connection;
    private final boolean temporary;
    static final int UPSERT_ROWS = 64;

    private PreparedStatement upsertFiles;
    private final List<Upsert> upserts = new ArrayList<>(UPSERT_ROWS);
    private PreparedStatement upsertDir;
    private PreparedStatement insertExtra;
    private PreparedStatement markSynced;
    private PreparedStatement markFailed;
    private int uncommitted;

    private final JobSettings settings;

    private BacklogStore(Path path, Connection connection, boolean temporary) {
        this.path = path;
        this.connection = connection;
        this.temporary = temporary;
        this.settings = new JobSettings(this::sql, path);
    }

    /** The job's recorded filters and file systems. */
    public JobSettings settings() {
        return settings;
    }

    /** Opens (creating when missing) the db at {@code path}; any failure is a {@link BacklogException}. */
    public static BacklogStore open(Path path) {
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new BacklogException("cannot create the directory of the state db " + path + ": " + e, e);
        }
        return connect(path, false, false);
    }

    /** Opens an existing db without writing to it (dry runs). */
    public static BacklogStore openReadOnly(Path path) {
        return connect(path, true, false);
    }

    /** A scratch db in the temp directory, deleted on close: dry runs scan into it so the real db is untouched. */
    public static BacklogStore openTemporary() {
        try {
            Path scratch = Files.createTempFile("duplex-dry-run-", ".db");
            return connect(scratch, false, true);
        } catch (IOException e) {
            throw new BacklogException("cannot create a scratch db for the dry run in "
                    + System.getProperty("java.io.tmpdir") + ": " + e, e);
        }
    }

    private static BacklogStore connect(Path path, boolean readOnly, boolean temporary) {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(10_000);
        config.setReadOnly(readOnly);
        config.setGetGeneratedKeys(false); // never used; asking for them costs a query per insert
        if (!readOnly) {
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        }
        try {
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + path, config.toProperties());
            if (!readOnly) {
                checkIntegrity(c, path);
                Schema.create(c);
            } else {
                try (Statement s = c.createStatement()) {
                    s.executeQuery("SELECT count(*) FROM files").close();
                }
            }
            c.setAutoCommit(false);
            return new BacklogStore(path, c, temporary);
        } catch (SQLException e) {
            String advice = DbTrouble.advice(e);
            throw new BacklogException("cannot use the state db " + path + ": " + e.getMessage()
                    + (advice.isEmpty() ? " (is it a duplex db, on a writable local disk, with space left?)" : advice),
                    e);
        }
    }

    /**
     * A damaged db is refused before anything else happens, so a run never changes a destination and then stops
     * half way on a bad page. {@code quick_check} reads every page once: about 0.4 s per million files from cache.
     */
    private static void checkIntegrity(Connection c, Path path) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("PRAGMA quick_check(1)")) {
            String result = r.next() ? r.getString(1) : "no result";
            if (!"ok".equals(result)) {
                c.close();
                throw new BacklogException("the state db " + path + " is damaged (SQLite quick_check: " + result + ")"
                        + DbTrouble.damaged(), new SQLException(result));
            }
        }
    }

    public Path path() {
        return path;
    }

    /**
     * Records which source and destinations this db belongs to, or checks them against what it recorded: a db
     * reused for another job would mark the wrong files synced.
     *
     * @return empty when the db matches (or is new), otherwise what it belongs to
     */
    public Optional<String> bindJob(Path source, List<Path> destinations) {
        Optional<String> mismatch = jobMismatch(source, destinations);
        if (mismatch.isEmpty() && jobValue("identity").isEmpty()) {
            setJobValue("identity", identity(source, destinations));
            commit();
        }
        return mismatch;
    }

    /** Like {@link #bindJob} without recording anything: what the db belongs to, when that is another job. */
    public Optional<String> jobMismatch(Path source, List<Path> destinations) {
        return jobValue("identity").filter(recorded -> !recorded.equals(identity(source, destinations)));
    }

    static String identity(Path source, List<Path> destinations) {
        return source + " -> " + String.join(" + ", destinations.stream().map(Path::toString).toList());
    }

    /** Pending files and their bytes. */
    public BacklogCounts pending() {
        return counts("SELECT count(*), coalesce(sum(size),0) FROM files WHERE status='pending'");
    }

    /** Pending files never tried since the scan that queued them: an interrupted backlog to resume. */
    public long untriedPendingFiles() {
        return counts("SELECT count(*), 0 FROM files WHERE status='pending' AND attempts=0").files();
    }

    public BacklogCounts synced() {
        return counts("SELECT count(*), coalesce(sum(size),0) FROM files WHERE status='synced'");
    }

    private BacklogCounts counts(String sql) {
        flushUpserts();
        try (Statement s = sql().createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return new BacklogCounts(r.getLong(1), r.getLong(2));
        } catch (SQLException e) {
            throw fail("read the backlog", e);
        }
    }

    /**
     * Starts a scan generation with these filters ({@link dev.duplex.filter.PathFilter#describe}); rows not seen by
     * it are dropped by {@link #finishScan} when the scan was clean.
     */
    public long beginScan(String filters) {
        long id = jobValue("scan_id").map(Long::parseLong).orElse(0L) + 1;
        setJobValue("scan_id", Long.toString(id));
        settings.recordScannedFilters(filters);
        setJobValue("last_scan_clean", "false");
        setJobValue("scan_finished", "false");
        update("DELETE FROM extras");
        commit();
        return id;
    }

    /**
     * Inserts or updates a scanned source file. The stored hash is kept when size and mtime are unchanged; the
     * attempt counter restarts, so a rescan retries failed files. Rows are written {@value #UPSERT_ROWS} per
     * statement (a statement per row cost more than the scan's stat calls); pending ones are written by
     * {@link #commit()} and before any read of the backlog.
     */
    public void upsertFile(FileRow row, FileStatus status, long scanId) {
        upserts.add(new Upsert(row, status, scanId));
        if (upserts.size() == UPSERT_ROWS) {
            flushUpserts();
        }
    }

    private record Upsert(FileRow row, FileStatus status, long scanId) {}

    private void flushUpserts() {
        if (upserts.isEmpty()) {
            return;
        }
        try {
            PreparedStatement p;
            if (upserts.size() == UPSERT_ROWS) {
                if (upsertFiles == null) {
                    upsertFiles = connection.prepareStatement(upsertSql(UPSERT_ROWS));
                }
                p = upsertFiles;
            } else {
                p = connection.prepareStatement(upsertSql(upserts.size()));
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
            uncommitted += rows;
        } catch (SQLException e) {
            Path first = upserts.get(0).row().sourcePath();
            upserts.clear();
            throw fail("record " + first + " and the files scanned after it", e);
        }
    }

    private static String upsertSql(int rows) {
        StringBuilder sql = new StringBuilder("""
                INSERT INTO files(source_path, dest_path, dest2_path, created, changed, modified, accessed,
                                  permissions, size, status, scan_id, needs) VALUES """);
        for (int r = 0; r < rows; r++) {
            sql.append(r == 0 ? "" : ",").append("(?,?,?,?,?,?,?,?,?,?,?,?)");
        }
        return sql.append("""

                ON CONFLICT(source_path) DO UPDATE SET
                  dest_path=excluded.dest_path, dest2_path=excluded.dest2_path,
                  created=excluded.created, changed=excluded.changed, accessed=excluded.accessed,
                  permissions=excluded.permissions,
                  hash=CASE WHEN files.size=excluded.size AND files.modified=excluded.modified THEN files.hash END,
                  algo=CASE WHEN files.size=excluded.size AND files.modified=excluded.modified THEN files.algo END,
                  modified=excluded.modified, size=excluded.size, status=excluded.status,
                  scan_id=excluded.scan_id, needs=excluded.needs, error=NULL, attempts=0""").toString();
    }

    private static int bindUpsert(PreparedStatement p, int i, Upsert u) throws SQLException {
        FileRow row = u.row();
        FileMetadata m = row.metadata();
        p.setString(i++, row.sourcePath().toString());
        p.setString(i++, row.destPaths().get(0).toString());
        p.setString(i++, row.destPaths().size() > 1 ? row.destPaths().get(1).toString() : null);
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

    public void upsertDir(DirRow dir, long scanId) {
        try {
            if (upsertDir == null) {
                upsertDir = sql().prepareStatement("""
                        INSERT INTO dirs(source_path, dest_path, dest2_path, modified, accessed, scan_id)
                        VALUES (?,?,?,?,?,?)
                        ON CONFLICT(source_path) DO UPDATE SET dest_path=excluded.dest_path,
                          dest2_path=excluded.dest2_path, modified=excluded.modified, accessed=excluded.accessed,
                          scan_id=excluded.scan_id""");
            }
            upsertDir.setString(1, dir.sourcePath().toString());
            upsertDir.setString(2, dir.destPaths().get(0).toString());
            upsertDir.setString(3, dir.destPaths().size() > 1 ? dir.destPaths().get(1).toString() : null);
            upsertDir.setString(4, IsoTime.format(dir.modified()));
            upsertDir.setString(5, IsoTime.format(dir.accessed()));
            upsertDir.setLong(6, scanId);
            upsertDir.executeUpdate();
            counted();
        } catch (SQLException e) {
            throw fail("record directory " + dir.sourcePath(), e);
        }
    }

    /** Inserts or updates a scanned source symlink; status pending when some destination lacks the same link. */
    public void upsertLink(LinkRow link, FileStatus status, long scanId) {
        try (PreparedStatement p = sql().prepareStatement("""
                INSERT INTO links(source_path, dest_path, dest2_path, target, modified, status, needs, scan_id)
                VALUES (?,?,?,?,?,?,?,?)
                ON CONFLICT(source_path) DO UPDATE SET dest_path=excluded.dest_path, dest2_path=excluded.dest2_path,
                  target=excluded.target, modified=excluded.modified, status=excluded.status, needs=excluded.needs,
                  error=NULL, scan_id=excluded.scan_id""")) {
            p.setString(1, link.sourcePath().toString());
            p.setString(2, link.destPaths().get(0).toString());
            p.setString(3, link.destPaths().size() > 1 ? link.destPaths().get(1).toString() : null);
            p.setString(4, link.target());
            p.setString(5, IsoTime.format(link.modified()));
            p.setString(6, status.dbValue());
            int mask = 0;
            for (int i : link.targets()) {
                mask |= 1 << i;
            }
            p.setInt(7, status == FileStatus.SYNCED ? 0 : mask);
            p.setLong(8, scanId);
            p.executeUpdate();
            counted();
        } catch (SQLException e) {
            throw fail("record symlink " + link.sourcePath(), e);
        }
    }

    /** Symlinks some destination still lacks. */
    public List<LinkRow> pendingLinks() {
        String sql = "SELECT source_path, dest_path, dest2_path, target, modified, needs FROM links "
                + "WHERE status='pending' ORDER BY source_path";
        List<LinkRow> out = new ArrayList<>();
        try (Statement s = sql().createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                List<Path> dests = new ArrayList<>(2);
                dests.add(Path.of(r.getString(2)));
                if (r.getString(3) != null) {
                    dests.add(Path.of(r.getString(3)));
                }
                out.add(new LinkRow(Path.of(r.getString(1)), dests, FileRow.targetsOf(r.getInt(6), dests.size()),
                        r.getString(4), IsoTime.parse(r.getString(5))));
            }
            return out;
        } catch (SQLException e) {
            throw fail("read the symlink backlog", e);
        }
    }

    /** Records a symlink as made on every destination that needed it, or why not. */
    public void markLink(Path sourcePath, Optional<String> error) {
        try (PreparedStatement p = sql().prepareStatement(error.isEmpty()
                ? "UPDATE links SET status='synced', needs=0, error=NULL WHERE source_path=?"
                : "UPDATE links SET error=? WHERE source_path=?")) {
            int i = 1;
            if (error.isPresent()) {
                p.setString(i++, error.get());
            }
            p.setString(i, sourcePath.toString());
            p.executeUpdate();
            counted();
        } catch (SQLException e) {
            throw fail("record symlink " + sourcePath, e);
        }
    }

    /** A destination entry with no source counterpart at scan time: a candidate for mirror cleanup. */
    public void addExtra(Extra extra) {
        try {
            if (insertExtra == null) {
                insertExtra = sql().prepareStatement(
                        "INSERT OR REPLACE INTO extras(dest_path, source_path, is_dir, excluded) VALUES (?,?,?,?)");
            }
            insertExtra.setString(1, extra.destPath().toString());
            insertExtra.setString(2, extra.sourcePath().toString());
            insertExtra.setInt(3, extra.isDirectory() ? 1 : 0);
            insertExtra.setInt(4, extra.excluded() ? 1 : 0);
            insertExtra.executeUpdate();
            counted();
        } catch (SQLException e) {
            throw fail("record extra " + extra.destPath(), e);
        }
    }

    /** Ends a scan: when it saw the whole source, rows of files and dirs that are gone are dropped. */
    public void finishScan(long scanId, boolean clean) {
        if (clean) {
            update("DELETE FROM files WHERE scan_id <> " + scanId);
            update("DELETE FROM dirs WHERE scan_id <> " + scanId);
            update("DELETE FROM links WHERE scan_id <> " + scanId);
        }
        setJobValue("last_scan_clean", Boolean.toString(clean));
        setJobValue("scan_finished", "true");
        commit();
    }

    /**
     * Whether the last scan reached its end. A scan stopped half way (killed, interrupted, db error) leaves part of
     * the tree recorded as pending; resuming that would copy the part and call the job done, so it must be scanned
     * again. Dbs from before this was recorded count as finished.
     */
    public boolean lastScanFinished() {
        return jobValue("scan_finished").map(Boolean::parseBoolean).orElse(true);
    }

    /** Whether the scan the backlog came from read the whole source without errors (mirror cleanup needs it). */
    public boolean lastScanWasClean() {
        return jobValue("last_scan_clean").map(Boolean::parseBoolean).orElse(false);
    }

    /** Marks a file synced with the hash of what was copied and the metadata it had when read. */
    public void markSynced(Path sourcePath, FileMetadata seen, String algo, String hash, Instant when) {
        try {
            if (markSynced == null) {
                markSynced = sql().prepareStatement("""
                        UPDATE files SET status='synced', needs=0, hash=?, algo=?, size=?, modified=?, accessed=?,
                          created=?, changed=?, permissions=?, error=NULL, synced_at=?
                        WHERE source_path=?""");
            }
            markSynced.setString(1, hash);
            markSynced.setString(2, algo);
            markSynced.setLong(3, seen.sizeBytes());
            markSynced.setString(4, IsoTime.format(seen.modified()));
            markSynced.setString(5, IsoTime.format(seen.accessed()));
            markSynced.setString(6, seen.created().map(IsoTime::format).orElse(null));
            markSynced.setString(7, seen.changed().map(IsoTime::format).orElse(null));
            markSynced.setString(8, seen.permissions());
            markSynced.setString(9, IsoTime.format(when));
            markSynced.setString(10, sourcePath.toString());
            markSynced.executeUpdate();
            counted();
        } catch (SQLException e) {
            throw fail("mark " + sourcePath + " synced", e);
        }
    }

    /**
     * Records that complete temp files of this version exist on every destination that needs it and the renames
     * begin; committed at once, since the next run rolls forward from it after a crash.
     */
    public void markPrepared(Path sourcePath, FileMetadata seen, String algo, String hash) {
        try (PreparedStatement p = sql().prepareStatement("""
                UPDATE files SET status='prepared', hash=?, algo=?, size=?, modified=?, accessed=?, error=NULL
                WHERE source_path=?""")) {
            p.setString(1, hash);
            p.setString(2, algo);
            p.setLong(3, seen.sizeBytes());
            p.setString(4, IsoTime.format(seen.modified()));
            p.setString(5, IsoTime.format(seen.accessed()));
            p.setString(6, sourcePath.toString());
            p.executeUpdate();
            commit();
        } catch (SQLException e) {
            throw fail("mark " + sourcePath + " prepared", e);
        }
    }

    /** Files whose commit was under way when a run stopped: to roll forward or back before anything else. */
    public List<PreparedFile> preparedFiles() {
        String sql = "SELECT source_path, dest_path, dest2_path, size, modified, accessed, needs, algo, hash, "
                + "created, changed, permissions FROM files WHERE status='prepared'";
        List<PreparedFile> out = new ArrayList<>();
        try (Statement s = sql().createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                List<Path> dests = new ArrayList<>(2);
                dests.add(Path.of(r.getString(2)));
                if (r.getString(3) != null) {
                    dests.add(Path.of(r.getString(3)));
                }
                // the whole recorded metadata: a roll forward marks the row synced with it
                FileMetadata m = new FileMetadata(r.getLong(4), IsoTime.parse(r.getString(5)),
                        IsoTime.parse(r.getString(6)), optionalInstant(r.getString(10)),
                        optionalInstant(r.getString(11)), r.getString(12));
                out.add(new PreparedFile(new FileRow(Path.of(r.getString(1)), dests,
                        FileRow.targetsOf(r.getInt(7), dests.size()), m), r.getString(8), r.getString(9)));
            }
            return out;
        } catch (SQLException e) {
            throw fail("read prepared files", e);
        }
    }

    private static Optional<Instant> optionalInstant(String s) {
        return s == null ? Optional.empty() : Optional.of(IsoTime.parse(s));
    }

    /** Removes a file that vanished from the source from the backlog. */
    public void dropFile(Path sourcePath) {
        try (PreparedStatement p = sql().prepareStatement("DELETE FROM files WHERE source_path=?")) {
            p.setString(1, sourcePath.toString());
            p.executeUpdate();
            counted();
        } catch (SQLException e) {
            throw fail("drop " + sourcePath + " from the backlog", e);
        }
    }

    /** A prepared file that cannot be rolled forward goes back to the backlog as if never tried. */
    public void markPendingAgain(Path sourcePath, String reason) {
        try (PreparedStatement p = sql().prepareStatement(
                "UPDATE files SET status='pending', hash=NULL, error=?, attempts=0 WHERE source_path=?")) {
            p.setString(1, reason);
            p.setString(2, sourcePath.toString());
            p.executeUpdate();
            counted();
        } catch (SQLException e) {
            throw fail("put " + sourcePath + " back in the backlog", e);
        }
    }

    /** A prepared file whose renames stopped half way: it stays prepared, with the reason. */
    public void notePartialCommit(Path sourcePath, String reason) {
        noteAttempt(sourcePath, reason, "record the partial commit of ");
    }

    /** Counts an attempt on a file with why it did not complete, leaving its status as it is. */
    private void noteAttempt(Path sourcePath, String error, String what) {
        try (PreparedStatement p = sql().prepareStatement(
                "UPDATE files SET error=?, attempts=attempts+1 WHERE source_path=?")) {
            p.setString(1, error);
            p.setString(2, sourcePath.toString());
            p.executeUpdate();
            counted();
        } catch (SQLException e) {
            throw fail(what + sourcePath, e);
        }
    }

    /**
     * A pending file that was not copied because it was not stable (modified within {@code --stable-for}, or changed
     * while it was read): the reason, prefixed {@link #DEFERRED_PREFIX}, and the attempt are recorded, so the next
     * run scans again instead of resuming a backlog of files that were tried already (a file that is always being
     * written would otherwise keep every later run from scanning).
     */
    public void markDeferred(Path sourcePath, String reason) {
        noteAttempt(sourcePath, DEFERRED_PREFIX + reason, "record the deferral of ");
    }

    /** Keeps (or puts back) the file pending with the reason, and counts the attempt. */
    public void markFailed(Path sourcePath, String error) {
        try {
            if (markFailed == null) {
                markFailed = sql().prepareStatement(
                        "UPDATE files SET status='pending', error=?, attempts=attempts+1 WHERE source_path=?");
            }
            markFailed.setString(1, error);
            markFailed.setString(2, sourcePath.toString());
            markFailed.executeUpdate();
            counted();
        } catch (SQLException e) {
            throw fail("record the failure of " + sourcePath, e);
        }
    }

    /** Records the start of a run in {@code runs}, committed at once so a concurrent {@code status} sees it. */
    public long startRun(Instant started, long pid, String options) {
        try (PreparedStatement p = sql().prepareStatement("INSERT INTO runs(started, pid, options) VALUES (?,?,?)");
             Statement id = connection.createStatement()) {
            p.setString(1, started.toString());
            p.setLong(2, pid);
            p.setString(3, options);
            p.executeUpdate();
            // last_insert_rowid(), not getGeneratedKeys(): the connection is configured without generated keys
            try (ResultSet r = id.executeQuery("SELECT last_insert_rowid()")) {
                r.next();
                long runId = r.getLong(1);
                commit();
                return runId;
            }
        } catch (SQLException e) {
            throw fail("record the start of this run", e);
        }
    }

    /** Completes a run's row with how it ended; committed at once. */
    public void finishRun(long runId, RunEnd end) {
        try (PreparedStatement p = sql().prepareStatement("""
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
            commit();
        } catch (SQLException e) {
            throw fail("record the end of this run", e);
        }
    }

    /** Reads pending rows page by page on a connection of its own, for the reader thread. */
    public PendingRows openPendingRows(int pageSize) {
        commit();
        try {
            return new PendingRows(DriverManager.getConnection("jdbc:sqlite:" + path, readOnlyConfig().toProperties()),
                    pageSize);
        } catch (SQLException e) {
            throw fail("open a reader on the backlog", e);
        }
    }

    private static SQLiteConfig readOnlyConfig() {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(10_000);
        config.setGetGeneratedKeys(false);
        return config;
    }

    /** Calls {@code action} for every source directory, deepest first (so parent times are applied last). */
    public void forEachDirDeepestFirst(Consumer<DirRow> action) {
        String sql = "SELECT source_path, dest_path, dest2_path, modified, accessed FROM dirs "
                + "ORDER BY length(source_path) DESC, source_path";
        try (Statement s = sql().createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                List<Path> dests = new ArrayList<>(2);
                dests.add(Path.of(r.getString(2)));
                if (r.getString(3) != null) {
                    dests.add(Path.of(r.getString(3)));
                }
                action.accept(new DirRow(Path.of(r.getString(1)), dests, IsoTime.parse(r.getString(4)),
                        IsoTime.parse(r.getString(5))));
            }
        } catch (SQLException e) {
            throw fail("read the directory list", e);
        }
    }

    /** Extras recorded by the last scan (files first, then directories deepest first), streamed; close it. */
    public ExtraRows openExtras() {
        commit();
        try {
            return new ExtraRows(DriverManager.getConnection("jdbc:sqlite:" + path, readOnlyConfig().toProperties()));
        } catch (SQLException e) {
            throw fail("open a reader on the extra-file list", e);
        }
    }

    /** How many extras the last scan recorded. */
    public long extraCount() {
        return counts("SELECT count(*), 0 FROM extras").files();
    }

    public void removeExtra(Path destPath) {
        try (PreparedStatement p = sql().prepareStatement("DELETE FROM extras WHERE dest_path=?")) {
            p.setString(1, destPath.toString());
            p.executeUpdate();
            counted();
        } catch (SQLException e) {
            throw fail("update the extra-file list", e);
        }
    }

    public void commit() {
        flushUpserts();
        try {
            connection.commit();
            uncommitted = 0;
        } catch (SQLException e) {
            throw fail("commit", e);
        }
    }

    /**
     * Discards everything not yet committed (buffered upserts included): after a run failed between two commits, so
     * that nothing reaches the db that the audit log (flushed before each commit) may not have.
     */
    public void rollback() {
        upserts.clear();
        try {
            connection.rollback();
            uncommitted = 0;
        } catch (SQLException e) {
            throw fail("roll back", e);
        }
    }

    /** The connection, after writing any buffered upserts: every statement sees the rows recorded before it. */
    private Connection sql() {
        flushUpserts();
        return connection;
    }

    private void counted() {
        if (++uncommitted >= BATCH_ROWS) {
            commit();
        }
    }

    private void update(String sql) {
        try (Statement s = sql().createStatement()) {
            s.executeUpdate(sql);
        } catch (SQLException e) {
            throw fail("update", e);
        }
    }

    private Optional<String> jobValue(String key) {
        return settings.value(key);
    }

    private void setJobValue(String key, String value) {
        settings.set(key, value);
    }

    private BacklogException fail(String what, SQLException e) {
        return new BacklogException("state db " + path + ": cannot " + what + ": " + e.getMessage()
                + DbTrouble.advice(e), e);
    }

    /**
     * Rolls back what was not committed: every commit is preceded by the audit log's flush, so work that reached no
     * commit (the run failed in between, perhaps writing the audit log) must not reach the db either, or the db would
     * record files the audit log does not. Files renamed into place but not recorded are copied again next run.
     */
    @Override
    public void close() {
        try {
            if (!connection.getAutoCommit() && !connection.isClosed()) {
                upserts.clear();
                connection.rollback();
            }
        } catch (SQLException e) {
            // closing below ends the transaction anyway
        } finally {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // nothing left to do with a connection that cannot close
            }
            if (temporary) {
                deleteScratch();
            }
        }
    }

    private void deleteScratch() {
        for (String suffix : List.of("", "-wal", "-shm")) {
            try {
                Files.deleteIfExists(Path.of(path + suffix));
            } catch (IOException ignored) {
                // a scratch file in the temp dir is harmless
            }
        }
    }
}
