package dev.duplex.backlog;

import dev.duplex.tree.EntryKind;
import dev.duplex.tree.RelPath;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A two-way job's state: {@code bisync_state} (per path, both sides as last synced), {@code bisync_tombstones}
 * (paths deleted on both sides, kept a while for the record) and {@code bisync_conflicts} (unresolved conflicts).
 */
public final class BisyncTable {
    private static final String COLUMNS = "kind, size, mtime, hash, file_id, target";
    private final Sql sql;
    private PreparedStatement put;
    private PreparedStatement forgetRead;
    private PreparedStatement forgetTomb;
    private PreparedStatement forgetDelete;

    BisyncTable(Sql sql) {
        this.sql = sql;
    }

    /** Every recorded path. */
    public Map<RelPath, PairRow> loadAll() {
        Map<RelPath, PairRow> rows = new HashMap<>();
        try (PreparedStatement p = sql.use().prepareStatement("SELECT path, l_" + COLUMNS.replace(", ", ", l_")
                + ", r_" + COLUMNS.replace(", ", ", r_") + ", last_action FROM bisync_state");
             ResultSet r = p.executeQuery()) {
            while (r.next()) {
                RelPath path = RelPath.of(r.getString(1));
                rows.put(path, new PairRow(path, side(r, 2), side(r, 8), r.getString(14)));
            }
            return rows;
        } catch (SQLException e) {
            throw sql.fail("read the two-way state", e);
        }
    }

    /** The recorded state of {@code path} and of every path below it (a watch pass reads only what it touches). */
    public Map<RelPath, PairRow> loadUnder(RelPath path) {
        if (path.isRoot()) {
            return loadAll();
        }
        Map<RelPath, PairRow> rows = new HashMap<>();
        String p = path.toString();
        try (PreparedStatement q = sql.use().prepareStatement("SELECT path, l_" + COLUMNS.replace(", ", ", l_")
                + ", r_" + COLUMNS.replace(", ", ", r_") + ", last_action FROM bisync_state "
                + "WHERE path = ? OR (path >= ? AND path < ?)")) {
            q.setString(1, p);
            q.setString(2, p + "/");          // '0' follows '/': the range holds exactly the paths below
            q.setString(3, p + "0");
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    RelPath at = RelPath.of(r.getString(1));
                    rows.put(at, new PairRow(at, side(r, 2), side(r, 8), r.getString(14)));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw sql.fail("read the two-way state of " + path, e);
        }
    }

    /** How many files (not directories) are recorded on the left ({@code left}) or right side. */
    public long filesOn(boolean left) {
        String k = left ? "l_kind" : "r_kind";
        return count("SELECT count(*) FROM bisync_state WHERE " + k + " IS NOT NULL AND " + k + " <> 'DIRECTORY'");
    }

    private static Optional<SideRow> side(ResultSet r, int at) throws SQLException {
        String kind = r.getString(at);
        if (kind == null) {
            return Optional.empty();
        }
        return Optional.of(new SideRow(EntryKind.valueOf(kind), r.getLong(at + 1), IsoTime.parse(r.getString(at + 2)),
                Optional.ofNullable(r.getString(at + 3)), Optional.ofNullable(r.getString(at + 4)),
                Optional.ofNullable(r.getString(at + 5))));
    }

    /** Records (or replaces) a path's state. The statement is prepared once (a first run records every path). */
    public void put(PairRow row) {
        try {
            if (put == null) {
                put = sql.use().prepareStatement("INSERT OR REPLACE INTO bisync_state VALUES "
                        + "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
            } else {
                sql.use();
            }
            put.setString(1, row.path().toString());
            bind(put, 2, row.left());
            bind(put, 8, row.right());
            put.setString(14, row.lastAction());
            put.setString(15, IsoTime.format(Instant.now()));
            put.executeUpdate();
            sql.counted();
        } catch (SQLException e) {
            throw sql.fail("record the two-way state of " + row.path(), e);
        }
    }

    private static void bind(PreparedStatement p, int at, Optional<SideRow> side) throws SQLException {
        SideRow s = side.orElse(null);
        p.setString(at, s == null ? null : s.kind().name());
        if (s == null) {
            p.setNull(at + 1, java.sql.Types.INTEGER);
        } else {
            p.setLong(at + 1, s.size());
        }
        p.setString(at + 2, s == null ? null : IsoTime.format(s.modified()));
        p.setString(at + 3, s == null ? null : s.hash().orElse(null));
        p.setString(at + 4, s == null ? null : s.fileId().orElse(null));
        p.setString(at + 5, s == null ? null : s.linkTarget().orElse(null));
    }

    /** Drops a path's state, leaving a tombstone with the time and the hash it last had. */
    public void forget(RelPath path, Instant when) {
        try {
            if (forgetRead == null) {
                forgetRead = sql.use().prepareStatement("SELECT coalesce(l_hash, r_hash) FROM bisync_state WHERE path=?");
                forgetTomb = sql.raw().prepareStatement(
                        "INSERT OR REPLACE INTO bisync_tombstones(path, deleted, hash) VALUES (?,?,?)");
                forgetDelete = sql.raw().prepareStatement("DELETE FROM bisync_state WHERE path=?");
            } else {
                sql.use();
            }
            forgetRead.setString(1, path.toString());
            String hash;
            try (ResultSet r = forgetRead.executeQuery()) {
                if (!r.next()) {
                    return;
                }
                hash = r.getString(1);
            }
            forgetTomb.setString(1, path.toString());
            forgetTomb.setString(2, when.toString());
            forgetTomb.setString(3, hash);
            forgetTomb.executeUpdate();
            forgetDelete.setString(1, path.toString());
            forgetDelete.executeUpdate();
            sql.counted(2);
        } catch (SQLException e) {
            throw sql.fail("forget the two-way state of " + path, e);
        }
    }

    /** Removes tombstones older than {@code before}; how many. */
    public int pruneTombstones(Instant before) {
        try (PreparedStatement p = sql.use().prepareStatement("DELETE FROM bisync_tombstones WHERE deleted < ?")) {
            p.setString(1, before.toString());
            int n = p.executeUpdate();
            sql.counted(n);
            return n;
        } catch (SQLException e) {
            throw sql.fail("prune tombstones", e);
        }
    }

    /** How many tombstones are kept. */
    public long tombstones() {
        return count("SELECT count(*) FROM bisync_tombstones");
    }

    /** How many paths are recorded. */
    public long recorded() {
        return count("SELECT count(*) FROM bisync_state");
    }

    private long count(String query) {
        try (PreparedStatement p = sql.use().prepareStatement(query); ResultSet r = p.executeQuery()) {
            return r.next() ? r.getLong(1) : 0;
        } catch (SQLException e) {
            throw sql.fail("count", e);
        }
    }

    /** Replaces the unresolved conflicts at or below {@code under} with {@code now} (a first-seen time is kept). */
    public void replaceConflicts(RelPath under, List<ConflictRow> now) {
        Map<RelPath, Instant> firstSeen = new HashMap<>();
        conflicts().forEach(c -> firstSeen.put(c.path(), c.firstSeen()));
        try (PreparedStatement clear = sql.use().prepareStatement(
                "DELETE FROM bisync_conflicts WHERE ? = '' OR path = ? OR substr(path, 1, length(?) + 1) = ? || '/'");
             PreparedStatement add = sql.raw().prepareStatement(
                     "INSERT OR REPLACE INTO bisync_conflicts VALUES (?,?,?,?,?,?,?,?)")) {
            String u = under.toString();
            clear.setString(1, u);
            clear.setString(2, u);
            clear.setString(3, u);
            clear.setString(4, u);
            clear.executeUpdate();
            for (ConflictRow c : now) {
                add.setString(1, c.path().toString());
                add.setString(2, c.rule());
                setLong(add, 3, c.leftSize());
                add.setString(4, c.leftModified().map(Instant::toString).orElse(null));
                setLong(add, 5, c.rightSize());
                add.setString(6, c.rightModified().map(Instant::toString).orElse(null));
                add.setString(7, firstSeen.getOrDefault(c.path(), c.firstSeen()).toString());
                add.setString(8, c.lastSeen().toString());
                add.executeUpdate();
            }
            sql.counted(now.size() + 1);
        } catch (SQLException e) {
            throw sql.fail("record the unresolved conflicts", e);
        }
    }

    private static void setLong(PreparedStatement p, int at, Optional<Long> v) throws SQLException {
        if (v.isPresent()) {
            p.setLong(at, v.get());
        } else {
            p.setNull(at, java.sql.Types.INTEGER);
        }
    }

    /** The unresolved conflicts, by path. */
    public List<ConflictRow> conflicts() {
        List<ConflictRow> rows = new ArrayList<>();
        try (PreparedStatement p = sql.use().prepareStatement("SELECT path, rule, l_size, l_mtime, r_size, r_mtime, "
                + "first_seen, last_seen FROM bisync_conflicts ORDER BY path");
             ResultSet r = p.executeQuery()) {
            while (r.next()) {
                rows.add(new ConflictRow(RelPath.of(r.getString(1)), r.getString(2), optLong(r, 3),
                        Optional.ofNullable(r.getString(4)).map(Instant::parse), optLong(r, 5),
                        Optional.ofNullable(r.getString(6)).map(Instant::parse), Instant.parse(r.getString(7)),
                        Instant.parse(r.getString(8))));
            }
            return rows;
        } catch (SQLException e) {
            throw sql.fail("read the unresolved conflicts", e);
        }
    }

    private static Optional<Long> optLong(ResultSet r, int at) throws SQLException {
        long v = r.getLong(at);
        return r.wasNull() ? Optional.empty() : Optional.of(v);
    }
}
