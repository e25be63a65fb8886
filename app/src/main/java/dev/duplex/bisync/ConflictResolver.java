package dev.duplex.bisync;

import dev.duplex.tree.RelPath;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

/** Turns a conflict into the actions of its rule's mode (contract: Conflict modes). */
final class ConflictResolver {
    private final ReconcileOptions options;
    private final Predicate<RelPath> existing;
    private final Set<RelPath> picked = new HashSet<>();
    private final List<Action> out;

    /** {@code existing}: whether a name is recorded or on either side now; clash names picked here are added. */
    ConflictResolver(ReconcileOptions options, Predicate<RelPath> existing, List<Action> out) {
        this.options = options;
        this.existing = existing;
        this.out = out;
    }

    private boolean taken(RelPath name) {
        return picked.contains(name) || existing.test(name);
    }

    /** The side whose version is newer: the later mtime, LEFT on a tie. */
    static Side newer(Version left, Version right) {
        return right.modified().isAfter(left.modified()) ? Side.RIGHT : Side.LEFT;
    }

    void resolve(PendingConflict c) {
        ConflictMode mode = options.modeOf(c.rule());
        Side newer = newer(c.left(), c.right());
        if (c.left().isDirectory() != c.right().isDirectory()) {
            newer = c.left().isDirectory() ? Side.LEFT : Side.RIGHT;   // a directory never loses to a file
            if (mode == ConflictMode.NEWER) {
                mode = ConflictMode.KEEP_BOTH;
            }
        }
        Version winner = newer == Side.LEFT ? c.left() : c.right();
        Version loser = newer == Side.LEFT ? c.right() : c.left();
        Side older = newer.other();
        Optional<RelPath> clash = Optional.empty();
        switch (mode) {
            case SKIP -> {
            }
            case NEWER -> out.add(new Action.Copy(newer, c.path(), winner, Optional.of(loser), options.firstRun()));
            case KEEP_BOTH -> {
                RelPath name = ClashNames.pick(c.path(), loser.modified(), options.zone(), this::taken);
                picked.add(name);
                clash = Optional.of(name);
                out.add(new Action.Rename(older, c.path(), name));
                out.add(new Action.Copy(older, name, loser, Optional.empty(), false));
                if (winner.isDirectory()) {
                    out.add(new Action.MakeDirectory(older, c.path(), Optional.empty()));
                } else {
                    out.add(new Action.Copy(newer, c.path(), winner, Optional.empty(), false));
                }
            }
        }
        out.add(new Action.Conflict(c.rule(), mode, c.path(), Optional.of(c.left()), Optional.of(c.right()), newer,
                clash, c.path(), c.path()));
    }

    /** The same recorded file renamed to {@code leftTo} on the left and to {@code rightTo} on the right. */
    void resolveRenames(RelPath from, RelPath leftTo, Version left, RelPath rightTo, Version right,
                        BiPredicate<Side, RelPath> present) {
        ConflictMode mode = options.renamed();
        Side newer = newer(left, right);
        if (mode == ConflictMode.NEWER && present.test(newer.other(), newer == Side.LEFT ? leftTo : rightTo)) {
            mode = ConflictMode.KEEP_BOTH;        // the winner's name is taken on the loser's side: keep both
        }
        switch (mode) {
            case SKIP -> {
            }
            case NEWER -> {
                RelPath winnerName = newer == Side.LEFT ? leftTo : rightTo;
                RelPath loserName = newer == Side.LEFT ? rightTo : leftTo;
                out.add(new Action.Rename(newer.other(), loserName, winnerName));
                out.add(new Action.Forget(from));
            }
            case KEEP_BOTH -> {
                out.add(new Action.Copy(Side.LEFT, leftTo, left, Optional.empty(), false));
                out.add(new Action.Copy(Side.RIGHT, rightTo, right, Optional.empty(), false));
                out.add(new Action.Forget(from));
            }
        }
        out.add(new Action.Conflict(ConflictRule.RENAMED, mode, from, Optional.of(left), Optional.of(right), newer,
                Optional.empty(), leftTo, rightTo));
    }
}
