package dev.duplex.bisync;

import dev.duplex.tree.RelPath;
import java.util.List;
import java.util.Optional;

/**
 * The contract's decision table for one path, read left to right: what each side did since the last run (the
 * {@link Change} columns) decides the action. Renames are decided before this, by the {@link Reconciler}.
 */
final class PathDecider {
    private final ReconcileOptions options;
    private final List<Action> out;
    private final List<Action> needs;
    private final List<PendingConflict> conflicts;

    PathDecider(ReconcileOptions options, List<Action> out, List<Action> needs, List<PendingConflict> conflicts) {
        this.options = options;
        this.out = out;
        this.needs = needs;
        this.conflicts = conflicts;
    }

    void decide(RelPath path, Recorded recorded, Optional<Version> left, Optional<Version> right) {
        Change l = Change.of(recorded.left(), left);
        Change r = Change.of(recorded.right(), right);
        if (l.isNew() && r.isNew()) {                         // changed | changed, created | created
            both(path, l == Change.CREATED && r == Change.CREATED ? ConflictRule.CREATED : ConflictRule.CHANGED,
                    left.get(), right.get());
        } else if (l.isNew()) {           // changed or created | unchanged, absent or deleted (the edit wins)
            carry(Side.LEFT, path, recorded.left(), left.get(), right, r);
        } else if (r.isNew()) {           // unchanged, absent or deleted | changed or created
            carry(Side.RIGHT, path, recorded.right(), right.get(), left, l);
        } else if (l == Change.DELETED && r == Change.UNCHANGED) {
            out.add(new Action.Delete(Side.RIGHT, path, right.get()));
        } else if (l == Change.UNCHANGED && r == Change.DELETED) {
            out.add(new Action.Delete(Side.LEFT, path, left.get()));
        } else if (l == Change.UNCHANGED && r == Change.ABSENT) {   // recorded on one side only: fill the other
            carry(Side.LEFT, path, recorded.left(), left.get(), right, r);
        } else if (l == Change.ABSENT && r == Change.UNCHANGED) {
            carry(Side.RIGHT, path, recorded.right(), right.get(), left, l);
        } else if (l != Change.UNCHANGED || r != Change.UNCHANGED) {   // deleted | deleted or absent
            out.add(new Action.Forget(path));
        }
    }

    /**
     * {@code from} has a version the other side lacks: copy it, or, when only its mtime changed and the content is
     * still the recorded one, apply the mtime alone.
     */
    private void carry(Side from, RelPath path, Optional<Version> recorded, Version version,
                       Optional<Version> target, Change targetChange) {
        Side to = from.other();
        if (version.isDirectory()) {
            if (target.isPresent() && target.get().isDirectory()) {
                out.add(new Action.Record(path, pick(Side.LEFT, from, version, target.get()),
                        pick(Side.RIGHT, from, version, target.get())));
            } else {
                out.add(new Action.MakeDirectory(to, path, target));
            }
            return;
        }
        if (targetChange == Change.UNCHANGED && version.isFile() && recorded.isPresent() && recorded.get().isFile()
                && recorded.get().size() == version.size() && recorded.get().hash().isPresent()) {
            if (version.hash().isEmpty()) {
                needs.add(new Action.NeedHash(from, path));
                return;
            }
            if (version.hash().equals(recorded.get().hash())) {
                out.add(new Action.SetTime(to, path, version.modified()));
                return;
            }
        }
        out.add(new Action.Copy(from, path, version, target, false));
    }

    private void both(RelPath path, ConflictRule rule, Version left, Version right) {
        switch (Contents.compare(left, right)) {
            case SAME -> {
                if (left.isFile() && !left.modified().equals(right.modified())) {   // the newer mtime, both sides
                    Side newer = ConflictResolver.newer(left, right);
                    out.add(new Action.SetTime(newer.other(), path, (newer == Side.LEFT ? left : right).modified()));
                } else {
                    out.add(new Action.Record(path, left, right));
                }
            }
            case DIFFERENT -> conflicts.add(new PendingConflict(rule, path, left, right));
            default -> {
                if (left.hash().isEmpty()) {
                    needs.add(new Action.NeedHash(Side.LEFT, path));
                }
                if (right.hash().isEmpty()) {
                    needs.add(new Action.NeedHash(Side.RIGHT, path));
                }
            }
        }
    }

    private static Version pick(Side want, Side from, Version fromVersion, Version other) {
        return want == from ? fromVersion : other;
    }
}
