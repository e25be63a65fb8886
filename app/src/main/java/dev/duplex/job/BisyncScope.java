package dev.duplex.job;

import dev.duplex.backlog.PairRow;
import dev.duplex.bisync.Side;
import dev.duplex.bisync.SideScanner;
import dev.duplex.bisync.Version;
import dev.duplex.bisync.Versions;
import dev.duplex.filter.PathFilter;
import dev.duplex.tree.Entry;
import dev.duplex.tree.EntryKind;
import dev.duplex.tree.RelPath;
import dev.duplex.tree.Tree;
import dev.duplex.tree.TempName;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What a two-way run looks at: both roots (refused when one is missing, or empty while the db records files for
 * it: an unmounted share), walked with the filters and without the trash, narrowed to {@code --path} when given.
 */
final class BisyncScope {
    private final BisyncOptions options;
    private final Tree left;
    private final Tree right;
    private final Consumer<String> warnings;
    private final Set<RelPath> excluded = new HashSet<>();

    /** Both sides now; {@code incomplete}: the sides whose walk could not read everything. */
    record Sides(Map<RelPath, Version> left, Map<RelPath, Version> right, Set<Side> incomplete,
                 List<RelPath> leftTemps, List<RelPath> rightTemps) {
    }

    BisyncScope(BisyncOptions options, Tree left, Tree right, Consumer<String> warnings) {
        this.options = options;
        this.left = left;
        this.right = right;
        this.warnings = warnings;
    }

    Sides read(Map<RelPath, PairRow> rows) throws InterruptedException {
        requireRoot(left, "LEFT");
        requireRoot(right, "RIGHT");
        PathFilter filter = SideScanner.withTrashExcluded(options.filter());
        RelPath from = options.only().orElse(RelPath.ROOT);
        // both sides at once: on shares and cold disks a walk waits on metadata, not on this CPU
        java.util.concurrent.CompletableFuture<SideScanner.Side> rightScan = new java.util.concurrent.CompletableFuture<>();
        Thread walker = new Thread(() -> {
            try {
                rightScan.complete(scan(right, from, filter));
            } catch (Throwable t) {
                rightScan.completeExceptionally(t);
            }
        }, "duplex-bisync-walk-right");
        walker.setDaemon(true);
        walker.start();
        SideScanner.Side l;
        try {
            l = scan(left, from, filter);
        } catch (RuntimeException | InterruptedException e) {
            walker.interrupt();
            throw e;
        }
        SideScanner.Side r = awaitRight(rightScan);
        if (from.isRoot() && !options.force()) {
            refuseEmpty(left, "LEFT", l, rows, true);
            refuseEmpty(right, "RIGHT", r, rows, false);
        }
        excluded.addAll(l.excluded());
        excluded.addAll(r.excluded());
        excluded.forEach(p -> {
            l.entries().remove(p);
            r.entries().remove(p);
        });
        Set<Side> incomplete = EnumSet.noneOf(Side.class);
        if (l.unreadable() > 0) {
            incomplete.add(Side.LEFT);
        }
        if (r.unreadable() > 0) {
            incomplete.add(Side.RIGHT);
        }
        return new Sides(l.entries(), r.entries(), incomplete, l.temps(), r.temps());
    }

    /**
     * Both sides at {@code paths} only (a watch pass): each path's entry, and everything below it where it is a
     * directory now. Temp files and what the filters leave out are not looked at.
     */
    Sides readPaths(Collection<RelPath> paths) throws InterruptedException {
        requireRoot(left, "LEFT");
        requireRoot(right, "RIGHT");
        PathFilter filter = SideScanner.withTrashExcluded(options.filter());
        SideScanner.Side l = new SideScanner.Side(new HashMap<>(), new HashSet<>(), new ArrayList<>(), 0);
        SideScanner.Side r = new SideScanner.Side(new HashMap<>(), new HashSet<>(), new ArrayList<>(), 0);
        long unreadableLeft = 0;
        long unreadableRight = 0;
        for (RelPath p : paths) {
            unreadableLeft += readPath(left, p, filter, l);
            unreadableRight += readPath(right, p, filter, r);
        }
        excluded.addAll(l.excluded());
        excluded.addAll(r.excluded());
        Set<Side> incomplete = EnumSet.noneOf(Side.class);
        if (unreadableLeft > 0) {
            incomplete.add(Side.LEFT);
        }
        if (unreadableRight > 0) {
            incomplete.add(Side.RIGHT);
        }
        return new Sides(l.entries(), r.entries(), incomplete, l.temps(), r.temps());
    }

    private long readPath(Tree tree, RelPath path, PathFilter filter, SideScanner.Side into)
            throws InterruptedException {
        if (path.isRoot() || TempName.isTemp(path.name())) {
            return 0;
        }
        try {
            if (!putSelf(tree, path, filter, into.entries())) {
                return 0;
            }
            SideScanner.Side below = SideScanner.scan(tree, path, filter, warnings);
            into.entries().putAll(below.entries());
            into.excluded().addAll(below.excluded());
            into.temps().addAll(below.temps());
            return below.unreadable();
        } catch (IOException e) {
            warnings.accept("cannot read " + tree.nameOf(path) + " (" + SyncJob.describe(e) + "); left for later");
            return 1;
        }
    }

    /**
     * The entry at {@code path} itself, put into {@code entries} when it is there and the filters keep it; whether
     * it is such a directory (whose content is then to be read too).
     */
    private static boolean putSelf(Tree tree, RelPath path, PathFilter filter, Map<RelPath, Version> entries)
            throws IOException {
        Optional<Entry> self = tree.stat(path, Tree.Detail.BASIC);
        if (self.isEmpty()) {
            return false;
        }
        boolean isDir = self.get().kind() == EntryKind.DIRECTORY;
        if (filter.excludesPath(path.toString(), isDir, isDir ? java.util.OptionalLong.empty()
                : java.util.OptionalLong.of(self.get().metadata().sizeBytes()))) {
            return false;
        }
        Versions.of(self.get()).ifPresent(v -> entries.put(path, v));
        return isDir;
    }

    private static SideScanner.Side awaitRight(java.util.concurrent.CompletableFuture<SideScanner.Side> scan)
            throws InterruptedException {
        try {
            return scan.get();
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof InterruptedException ie) {
                throw ie;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** The records this run decides on: those in scope, without the paths the size bounds leave out. */
    Map<RelPath, PairRow> inScope(Map<RelPath, PairRow> rows) {
        RelPath from = options.only().orElse(RelPath.ROOT);
        if (from.isRoot() && excluded.isEmpty()) {
            return rows;
        }
        Map<RelPath, PairRow> out = new HashMap<>();
        rows.forEach((p, row) -> {
            if (p.startsWith(from) && !excluded.contains(p)) {
                out.put(p, row);
            }
        });
        return out;
    }

    private SideScanner.Side scan(Tree tree, RelPath from, PathFilter filter) throws InterruptedException {
        try {
            SideScanner.Side side = SideScanner.scan(tree, from, filter, warnings);
            if (!from.isRoot()) {                 // --path: the entry itself too, when the filters keep it
                putSelf(tree, from, filter, side.entries());
            }
            return side;
        } catch (IOException e) {
            throw JobFailure.fatal("cannot read " + tree.root() + ": " + SyncJob.describe(e)
                    + "; nothing was changed", e);
        }
    }

    static void requireRoot(Tree tree, String role) {
        Optional<Entry> root;
        try {
            root = tree.stat(RelPath.ROOT, Tree.Detail.BASIC);
        } catch (IOException e) {
            throw JobFailure.fatal(role + " " + tree.root() + " cannot be read: " + SyncJob.describe(e)
                    + "; nothing was changed", e);
        }
        if (root.isEmpty() || root.get().kind() != EntryKind.DIRECTORY) {
            throw JobFailure.fatal(role + " " + tree.root() + " is missing (or not a directory): is the share "
                    + "mounted? Nothing was changed; create the directory to start a new two-way job");
        }
    }

    private static void refuseEmpty(Tree tree, String role, SideScanner.Side side, Map<RelPath, PairRow> rows,
                                    boolean isLeft) {
        if (!side.entries().isEmpty() || side.unreadable() > 0) {
            return;
        }
        long recorded = rows.values().stream()
                .filter(row -> (isLeft ? row.left() : row.right()).isPresent()).count();
        if (recorded > 0) {
            throw JobFailure.fatal(role + " " + tree.root() + " is empty, but the job's db records " + recorded
                    + " entries there: is the share mounted? Nothing was changed (run with --force if it was "
                    + "emptied on purpose)");
        }
    }
}
