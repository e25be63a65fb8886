package dev.duplex.backlog;

import dev.duplex.tree.FileMetadata;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The pending files, read from the db (not the file system) page by page in source-path order, on a read-only
 * connection of its own (WAL lets it read while the job thread commits). Used by the reader thread only.
 */
public final class PendingRows implements Iterator<FileRow>, AutoCloseable {
    private final Connection connection;
    private final PreparedStatement page;
    private final Deque<FileRow> buffered = new ArrayDeque<>();
    private final PathNames names;
    private String after = "";
    private boolean exhausted;

    PendingRows(Connection connection, int pageSize, PathNames names) throws SQLException {
        this.connection = connection;
        this.names = names;
        this.page = connection.prepareStatement("""
                SELECT source_path, size, modified, accessed, created, changed, permissions, needs
                FROM files WHERE status='pending' AND source_path > ? ORDER BY source_path LIMIT ?""");
        this.page.setInt(2, pageSize);
    }

    @Override
    public boolean hasNext() {
        if (buffered.isEmpty() && !exhausted) {
            fetchPage();
        }
        return !buffered.isEmpty();
    }

    @Override
    public FileRow next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return buffered.removeFirst();
    }

    private void fetchPage() {
        try {
            page.setString(1, after);
            try (ResultSet r = page.executeQuery()) {
                while (r.next()) {
                    FileMetadata m = new FileMetadata(r.getLong(2), IsoTime.parse(r.getString(3)),
                            IsoTime.parse(r.getString(4)), instant(r.getString(5)), instant(r.getString(6)),
                            r.getString(7));
                    after = r.getString(1);
                    buffered.add(new FileRow(names.pathOfSource(after),
                            FileRow.targetsOf(r.getInt(8), names.destinations()), m));
                }
            }
            exhausted = buffered.isEmpty();
        } catch (SQLException e) {
            throw new BacklogException("cannot read the backlog: " + e.getMessage(), e);
        }
    }

    private static Optional<Instant> instant(String s) {
        return s == null ? Optional.empty() : Optional.of(IsoTime.parse(s));
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // read-only connection: nothing to lose
        }
    }
}
