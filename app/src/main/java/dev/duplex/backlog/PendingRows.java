package dev.duplex.backlog;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
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
    private String after = "";
    private boolean exhausted;

    PendingRows(Connection connection, int pageSize) throws SQLException {
        this.connection = connection;
        this.page = connection.prepareStatement("""
                SELECT source_path, dest_path, dest2_path, size, modified, accessed, created, changed, permissions,
                       needs
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
                    List<Path> dests = new ArrayList<>(2);
                    dests.add(Path.of(r.getString(2)));
                    if (r.getString(3) != null) {
                        dests.add(Path.of(r.getString(3)));
                    }
                    FileMetadata m = new FileMetadata(r.getLong(4), IsoTime.parse(r.getString(5)),
                            IsoTime.parse(r.getString(6)), instant(r.getString(7)), instant(r.getString(8)),
                            r.getString(9));
                    after = r.getString(1);
                    buffered.add(new FileRow(Path.of(after), dests, FileRow.targetsOf(r.getInt(10), dests.size()), m));
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
