package dev.duplex.bisync;

import dev.duplex.tree.RelPath;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * A directory deleted on one side is deleted on the other only when nothing stays in it there: a directory that
 * keeps an entry (one the other side created or changed, or one a rename or copy puts there) stays, and comes back
 * on the side that deleted it.
 */
final class DirectoryDeletes {
    private DirectoryDeletes() {
    }

    static List<Action> settle(List<Action> actions, Map<RelPath, Version> left, Map<RelPath, Version> right) {
        Set<Placed> leaving = new HashSet<>();
        Set<Placed> arriving = new HashSet<>();
        for (Action a : actions) {
            if (a instanceof Action.Delete d) {
                leaving.add(new Placed(d.on(), d.path()));
            } else if (a instanceof Action.Rename r) {
                leaving.add(new Placed(r.on(), r.path()));
                arriving.add(new Placed(r.on(), r.to()));
            } else if (a instanceof Action.Copy c) {
                arriving.add(new Placed(c.to(), c.path()));
            } else if (a instanceof Action.MakeDirectory m) {
                arriving.add(new Placed(m.on(), m.path()));
            }
        }
        List<Action.Delete> directories = new ArrayList<>();
        for (Action a : actions) {
            if (a instanceof Action.Delete d && d.version().isDirectory()) {
                directories.add(d);
            }
        }
        if (directories.isEmpty()) {
            return actions;
        }
        directories.sort(Comparator.comparing(Action.Delete::path).reversed());   // deepest first
        List<Action> result = new ArrayList<>(actions);
        NavigableSet<RelPath> leftPaths = new TreeSet<>(left.keySet());
        NavigableSet<RelPath> rightPaths = new TreeSet<>(right.keySet());
        NavigableSet<RelPath> leftArriving = new TreeSet<>();
        NavigableSet<RelPath> rightArriving = new TreeSet<>();
        arriving.forEach(p -> (p.side() == Side.LEFT ? leftArriving : rightArriving).add(p.path()));
        for (Action.Delete d : directories) {
            boolean onLeft = d.on() == Side.LEFT;
            boolean keeps = anyBelow(onLeft ? leftPaths : rightPaths, d.path(),
                    p -> !leaving.contains(new Placed(d.on(), p)))
                    || anyBelow(onLeft ? leftArriving : rightArriving, d.path(), p -> true);
            if (keeps) {
                result.remove(d);
                leaving.remove(new Placed(d.on(), d.path()));
                Map<RelPath, Version> across = d.on() == Side.LEFT ? right : left;
                if (!across.containsKey(d.path())) {
                    result.add(new Action.MakeDirectory(d.on().other(), d.path(), Optional.empty()));
                }
            }
        }
        return result;
    }

    /** Whether an entry below {@code dir} (descendants follow their directory in this order) passes the test. */
    private static boolean anyBelow(NavigableSet<RelPath> paths, RelPath dir, Predicate<RelPath> test) {
        for (RelPath p : paths.tailSet(dir, false)) {
            if (!p.startsWith(dir)) {
                return false;
            }
            if (test.test(p)) {
                return true;
            }
        }
        return false;
    }

    private record Placed(Side side, RelPath path) {
    }
}
