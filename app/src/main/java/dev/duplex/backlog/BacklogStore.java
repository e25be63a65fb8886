package dev.duplex.backlog;

import dev.duplex.report.RunEnd;
import dev.duplex.tree.FileMetadata;
import dev.duplex.tree.RelPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The job's SQLite state: the backlog of source files and what was synced. Owns the one read-write JDBC
 * connection, which only the job thread uses; the tables ({@link FileTable}, {@link EntryTables},
 * {@link RunTable}) share it. Writes are batched: they join an open transaction that is committed every
 * {@value Sql#BATCH_ROWS} rows and whenever {@link #commit()} is called. Rows name entries by {@link RelPath}; the
 * columns hold the full names {@link PathNames} gives.
 */
public final class BacklogStore implements AutoCloseable {
    /** How the {@code error} column of a deferred (not failed) pending file starts. */
    public static final String DEFERRED_PREFIX = "deferred: ";

    private final Path path;
    private final Connection connection;
    private final boolean temporary;
    private final PathNames names;
    private final Sql sql;
    private final FileTable files;
    private final EntryTables entries;
    private final RunTable runs;
    private final JobSettings settings;
    private final BisyncTable bisync;
    private final SideConnections sides;
    private final Optional<SharedBacklog> shared;
    private final Runnable closePool;

    BacklogStore(Path path, Connection connection, boolean temporary, PathNames names) {
        this(path, path.toString(), Dialect.SQLITE, connection, temporary, names, () -> StoreConnections.readOnly(path),
                null, () -> { });
    }

    BacklogStore(Path path, String name, Dialect dialect, Connection connection, boolean temporary,
                         PathNames names, SideConnections sides, SharedBacklog.Worker worker, Runnable closePool) {
        this.path = path;
        this.connection = connection;
        this.temporary = temporary;
        this.names = names;
        this.sql = new Sql(name, connection, dialect);
        this.files = new FileTable(sql, names, worker == null ? Optional.empty() : Optional.of(worker));
        this.entries = new EntryTables(sql, names);
        this.runs = new RunTable(sql);
        this.settings = new JobSettings(sql::use, name, worker == null ? "" : "host." + worker.host() + ".");
        this.bisync = new BisyncTable(sql);
        this.sides = sides;
        this.shared = worker == null ? Optional.empty() : Optional.of(new SharedBacklog(sql, sides, names, worker));
        this.closePool = closePool;
    }

    /** The coordination of a job shared by several hosts (a PostgreSQL job); empty for a SQLite job. */
    public Optional<SharedBacklog> shared() {
        return shared;
    }

    public Path path() {
        return path;
    }

    /** A two-way job's state, tombstones and conflicts. */
    public BisyncTable bisync() {
        return bisync;
    }

    /** The job's recorded filters and file systems. */
    public JobSettings settings() {
        return settings;
    }

    /**
     * Records which source and destinations this db belongs to, or checks them against what it recorded: a db
     * reused for another job would mark the wrong files synced.
     *
     * @return empty when the db matches (or is new), otherwise what it belongs to
     */
    public Optional<String> bindJob(String source, List<String> destinations) {
        Optional<String> mismatch = jobMismatch(source, destinations);
        if (mismatch.isEmpty() && settings.value("identity").isEmpty()) {
            settings.set("identity", identity(source, destinations));
            commit();
        }
        return mismatch;
    }

    /** Like {@link #bindJob} without recording anything: what the db belongs to, when that is another job. */
    public Optional<String> jobMismatch(String source, List<String> destinations) {
        return settings.value("identity").filter(recorded -> !recorded.equals(identity(source, destinations)));
    }

    static String identity(String source, List<String> destinations) {
        return source + " -> " + String.join(" + ", destinations);
    }

    /** Pending files and their bytes. */
    public BacklogCounts pending() {
        return files.counts("status='pending'");
    }

    /** Pending files never tried since the scan that queued them: an interrupted backlog to resume. */
    public long untriedPendingFiles() {
        return files.counts("status='pending' AND attempts=0").files();
    }

    public BacklogCounts synced() {
        return files.counts("status='synced'");
    }

    /**
     * Starts a scan generation with these filters ({@link dev.duplex.filter.PathFilter#describe}); rows not seen by
     * it are dropped by {@link #finishScan} when the scan was clean.
     */
    public long beginScan(String filters) {
        long id = scanId() + 1;
        settings.set("scan_id", Long.toString(id));
        settings.recordScannedFilters(filters);
        settings.set("last_scan_clean", "false");
        settings.set("scan_finished", "false");
        update("DELETE FROM extras");
        commit();
        return id;
    }

    /** The current scan generation (0 before the first scan). */
    public long scanId() {
        return settings.value("scan_id").map(Long::parseLong).orElse(0L);
    }

    /** Ends a scan: when it saw the whole source, rows of files and dirs that are gone are dropped. */
    public void finishScan(long scanId, boolean clean) {
        if (clean) {
            update("DELETE FROM files WHERE scan_id <> " + scanId);
            update("DELETE FROM dirs WHERE scan_id <> " + scanId);
            update("DELETE FROM links WHERE scan_id <> " + scanId);
        }
        settings.set("last_scan_clean", Boolean.toString(clean));
        settings.set("scan_finished", "true");
        commit();
    }

    /**
     * Whether the last scan reached its end. A scan stopped half way (killed, interrupted, db error) leaves part of
     * the tree recorded as pending; resuming that would copy the part and call the job done, so it must be scanned
     * again. Dbs from before this was recorded count as finished.
     */
    public boolean lastScanFinished() {
        return settings.value("scan_finished").map(Boolean::parseBoolean).orElse(true);
    }

    /** Whether the scan the backlog came from read the whole source without errors (mirror cleanup needs it). */
    public boolean lastScanWasClean() {
        return settings.value("last_scan_clean").map(Boolean::parseBoolean).orElse(false);
    }

    /** Inserts or updates a scanned source file (see {@link FileTable#upsert}). */
    public void upsertFile(FileRow row, FileStatus status, long scanId) {
        files.upsert(row, status, scanId);
    }

    public void upsertDir(DirRow dir, long scanId) {
        entries.upsertDir(dir, scanId);
    }

    public void upsertLink(LinkRow link, FileStatus status, long scanId) {
        entries.upsertLink(link, status, scanId);
    }

    public List<LinkRow> pendingLinks() {
        return entries.pendingLinks();
    }

    public void markLink(RelPath link, Optional<String> error) {
        entries.markLink(link, error);
    }

    /** A destination entry with no source counterpart at scan time (or excluded): for mirror cleanup. */
    public void addExtra(Extra extra) {
        entries.addExtra(extra);
    }

    /** Marks a file synced with the hash of what was copied and the metadata it had when read. */
    public void markSynced(RelPath file, FileMetadata seen, String algo, String hash, Instant when) {
        files.markSynced(file, seen, algo, hash, when);
    }

    /**
     * Records that complete temp files of this version exist on every destination that needs it and the renames
     * begin; committed at once, since the next run rolls forward from it after a crash.
     *
     * @return false in a job shared by several hosts when this run no longer holds the file (its lease expired and
     *     another host may have taken it over): the temps must not be renamed
     */
    public boolean markPrepared(RelPath file, FileMetadata seen, String algo, String hash) {
        return files.markPrepared(file, seen, algo, hash);
    }

    /** Files whose commit was under way when a run stopped: to roll forward or back before anything else. */
    public List<PreparedFile> preparedFiles() {
        return files.preparedFiles();
    }

    /** Removes a file that vanished from the source from the backlog. */
    public void dropFile(RelPath file) {
        files.drop(file);
    }

    /** A prepared file that cannot be rolled forward goes back to the backlog as if never tried. */
    public void markPendingAgain(RelPath file, String reason) {
        files.markPendingAgain(file, reason);
    }

    /** A prepared file whose renames stopped half way: it stays prepared, with the reason. */
    public void notePartialCommit(RelPath file, String reason) {
        files.noteAttempt(file, reason, "record the partial commit of ");
    }

    /**
     * A pending file that was not copied because it was not stable (modified within {@code --stable-for}, or changed
     * while it was read): the reason, prefixed {@link #DEFERRED_PREFIX}, and the attempt are recorded, so the next
     * run scans again instead of resuming a backlog of files that were tried already (a file that is always being
     * written would otherwise keep every later run from scanning).
     */
    public void markDeferred(RelPath file, String reason) {
        files.noteAttempt(file, DEFERRED_PREFIX + reason, "record the deferral of ");
    }

    /** Keeps (or puts back) the file pending with the reason, and counts the attempt. */
    public void markFailed(RelPath file, String error) {
        files.markFailed(file, error);
    }

    /** Records the start of a run in {@code runs}, committed at once so a concurrent {@code status} sees it. */
    public long startRun(Instant started, long pid, String options) {
        return runs.start(started, pid, options, shared.map(s -> s.worker().name()).orElse(null));
    }

    /** Completes a run's row with how it ended; committed at once. */
    public void finishRun(long runId, RunEnd end) {
        runs.finish(runId, end);
    }

    /** Reads pending rows page by page on a connection of its own, for the reader thread. */
    public PendingRows openPendingRows(int pageSize) {
        commit();
        try {
            return new PendingRows(sides.open(), pageSize, names);
        } catch (SQLException e) {
            throw sql.fail("open a reader on the backlog", e);
        }
    }

    /** Calls {@code action} for every source directory, deepest first (so parent times are applied last). */
    public void forEachDirDeepestFirst(Consumer<DirRow> action) {
        entries.forEachDirDeepestFirst(action);
    }

    /** Extras recorded by the last scan (files first, then directories deepest first), streamed; close it. */
    public ExtraRows openExtras() {
        commit();
        try {
            return new ExtraRows(sides.open(), names, sql.dialect());
        } catch (SQLException e) {
            throw sql.fail("open a reader on the extra-file list", e);
        }
    }

    /** How many extras the last scan recorded. */
    public long extraCount() {
        try (Statement s = sql.use().createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM extras")) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw sql.fail("count the extras", e);
        }
    }

    public void removeExtra(Extra extra) {
        entries.removeExtra(extra);
    }

    public void commit() {
        sql.commit();
    }

    /**
     * Discards everything not yet committed (buffered upserts included): after a run failed between two commits, so
     * that nothing reaches the db that the audit log (flushed before each commit) may not have.
     */
    public void rollback() {
        files.discardBuffered();
        sql.rollback();
    }

    private void update(String statement) {
        try (Statement s = sql.use().createStatement()) {
            s.executeUpdate(statement);
        } catch (SQLException e) {
            throw sql.fail("update", e);
        }
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
                files.discardBuffered();
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
            shared.ifPresent(SharedBacklog::close);
            closePool.run();
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
