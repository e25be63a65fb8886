package dev.duplex.backlog;

import dev.duplex.tree.RelPath;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The tables beside {@code files}: {@code dirs} (source directories, created and stamped in the destinations),
 * {@code links} (source symlinks, recreated as symlinks) and {@code extras} (destination entries for mirror
 * cleanup).
 */
final class EntryTables {
    private final Sql sql;
    private final PathNames names;
    private PreparedStatement upsertDir;
    private PreparedStatement insertExtra;

    EntryTables(Sql sql, PathNames names) {
        this.sql = sql;
        this.names = names;
    }

    void upsertDir(DirRow dir, long scanId) {
        try {
            if (upsertDir == null) {
                upsertDir = sql.use().prepareStatement("""
                        INSERT INTO dirs(source_path, dest_path, dest2_path, modified, accessed, scan_id)
                        VALUES (?,?,?,?,?,?)
                        ON CONFLICT(source_path) DO UPDATE SET dest_path=excluded.dest_path,
                          dest2_path=excluded.dest2_path, modified=excluded.modified, accessed=excluded.accessed,
                          scan_id=excluded.scan_id""");
            }
            sql.use();
            bindNames(upsertDir, 1, dir.path());
            upsertDir.setString(4, IsoTime.format(dir.modified()));
            upsertDir.setString(5, IsoTime.format(dir.accessed()));
            upsertDir.setLong(6, scanId);
            upsertDir.executeUpdate();
            sql.counted();
        } catch (SQLException e) {
            throw sql.fail("record directory " + names.sourceName(dir.path()), e);
        }
    }

    /** The source, destination and (with two) second destination names of a path, from parameter {@code i}. */
    private void bindNames(PreparedStatement p, int i, RelPath path) throws SQLException {
        p.setString(i, names.sourceName(path));
        p.setString(i + 1, names.destinationName(0, path));
        p.setString(i + 2, names.destinations() > 1 ? names.destinationName(1, path) : null);
    }

    /** Inserts or updates a scanned source symlink; status pending when some destination lacks the same link. */
    void upsertLink(LinkRow link, FileStatus status, long scanId) {
        try (PreparedStatement p = sql.use().prepareStatement("""
                INSERT INTO links(source_path, dest_path, dest2_path, target, modified, status, needs, scan_id)
                VALUES (?,?,?,?,?,?,?,?)
                ON CONFLICT(source_path) DO UPDATE SET dest_path=excluded.dest_path, dest2_path=excluded.dest2_path,
                  target=excluded.target, modified=excluded.modified, status=excluded.status, needs=excluded.needs,
                  error=NULL, scan_id=excluded.scan_id""")) {
            bindNames(p, 1, link.path());
            p.setString(4, link.target());
            p.setString(5, IsoTime.format(link.modified()));
            p.setString(6, status.dbValue());
            p.setInt(7, status == FileStatus.SYNCED ? 0 : FileRow.maskOf(link.targets()));
            p.setLong(8, scanId);
            p.executeUpdate();
            sql.counted();
        } catch (SQLException e) {
            throw sql.fail("record symlink " + names.sourceName(link.path()), e);
        }
    }

    /** Symlinks some destination still lacks. */
    List<LinkRow> pendingLinks() {
        String query = "SELECT source_path, target, modified, needs FROM links WHERE status='pending' "
                + "ORDER BY source_path";
        List<LinkRow> out = new ArrayList<>();
        try (Statement s = sql.use().createStatement(); ResultSet r = s.executeQuery(query)) {
            while (r.next()) {
                out.add(new LinkRow(names.pathOfSource(r.getString(1)),
                        FileRow.targetsOf(r.getInt(4), names.destinations()), r.getString(2),
                        IsoTime.parse(r.getString(3))));
            }
            return out;
        } catch (SQLException e) {
            throw sql.fail("read the symlink backlog", e);
        }
    }

    /** Records a symlink as made on every destination that needed it, or why not. */
    void markLink(RelPath path, Optional<String> error) {
        try (PreparedStatement p = sql.use().prepareStatement(error.isEmpty()
                ? "UPDATE links SET status='synced', needs=0, error=NULL WHERE source_path=?"
                : "UPDATE links SET error=? WHERE source_path=?")) {
            int i = 1;
            if (error.isPresent()) {
                p.setString(i++, error.get());
            }
            p.setString(i, names.sourceName(path));
            p.executeUpdate();
            sql.counted();
        } catch (SQLException e) {
            throw sql.fail("record symlink " + names.sourceName(path), e);
        }
    }

    /** A destination entry for mirror cleanup. */
    void addExtra(Extra extra) {
        try {
            if (insertExtra == null) {
                insertExtra = sql.use().prepareStatement("INSERT INTO extras(dest_path, source_path, is_dir, "
                        + "excluded, dest_index) VALUES (?,?,?,?,?) ON CONFLICT(dest_path) DO UPDATE SET "
                        + "source_path=excluded.source_path, is_dir=excluded.is_dir, excluded=excluded.excluded, "
                        + "dest_index=excluded.dest_index");
            }
            sql.use();
            insertExtra.setString(1, names.destinationName(extra.destination(), extra.path()));
            insertExtra.setString(2, names.sourceName(extra.path()));
            insertExtra.setInt(3, extra.isDirectory() ? 1 : 0);
            insertExtra.setInt(4, extra.excluded() ? 1 : 0);
            insertExtra.setInt(5, extra.destination());
            insertExtra.executeUpdate();
            sql.counted();
        } catch (SQLException e) {
            throw sql.fail("record extra " + names.destinationName(extra.destination(), extra.path()), e);
        }
    }

    void removeExtra(Extra extra) {
        try (PreparedStatement p = sql.use().prepareStatement("DELETE FROM extras WHERE dest_path=?")) {
            p.setString(1, names.destinationName(extra.destination(), extra.path()));
            p.executeUpdate();
            sql.counted();
        } catch (SQLException e) {
            throw sql.fail("update the extra-file list", e);
        }
    }

    /** Calls {@code action} for every source directory, deepest first (so parent times are applied last). */
    void forEachDirDeepestFirst(Consumer<DirRow> action) {
        String query = "SELECT source_path, modified, accessed FROM dirs ORDER BY length(source_path) DESC, source_path";
        try (Statement s = sql.use().createStatement(); ResultSet r = s.executeQuery(query)) {
            while (r.next()) {
                action.accept(new DirRow(names.pathOfSource(r.getString(1)), IsoTime.parse(r.getString(2)),
                        IsoTime.parse(r.getString(3))));
            }
        } catch (SQLException e) {
            throw sql.fail("read the directory list", e);
        }
    }
}
