package dev.duplex.bisync;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What a reconcile decided, in the order to carry it out: renames, deletes (deepest first), directories (parents
 * first), copies (smallest first), mtimes, then what is only recorded or reported. When {@link #hashesNeeded()} is not empty the
 * plan is not final: hash those files, put the hashes into the versions and reconcile again.
 */
public record Plan(List<Action> actions, List<Action.NeedHash> hashesNeeded) {
    public Plan {
        actions = List.copyOf(actions);
        hashesNeeded = List.copyOf(hashesNeeded);
    }

    static Plan of(List<Action> actions, List<Action> needs) {
        List<Action> sorted = new ArrayList<>(actions);
        sorted.sort(Comparator.comparingInt(Plan::phase).thenComparingLong(Plan::copySize)
                .thenComparing((a, b) -> a instanceof Action.Delete ? b.path().compareTo(a.path())
                        : a.path().compareTo(b.path())));
        List<Action.NeedHash> hashes = new ArrayList<>();
        needs.forEach(n -> hashes.add((Action.NeedHash) n));
        return new Plan(sorted, hashes.stream().distinct().toList());
    }

    public boolean isFinal() {
        return hashesNeeded.isEmpty();
    }

    /** The actions of one type, in plan order. */
    public <T extends Action> List<T> all(Class<T> type) {
        return actions.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Copies go smallest first (many small files are not held up by one large one); 0 for other actions. */
    private static long copySize(Action a) {
        return a instanceof Action.Copy c ? c.version().size() : 0;
    }

    private static int phase(Action a) {
        if (a instanceof Action.Rename r) {
            return 0;
        } else if (a instanceof Action.Delete) {
            return 1;
        } else if (a instanceof Action.MakeDirectory) {
            return 2;
        } else if (a instanceof Action.Copy) {
            return 3;
        } else if (a instanceof Action.SetTime) {
            return 4;
        } else if (a instanceof Action.Record || a instanceof Action.Forget) {
            return 5;
        }
        return 6;
    }
}
