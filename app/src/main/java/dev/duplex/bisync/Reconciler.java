package dev.duplex.bisync;

import dev.duplex.tree.RelPath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The two-way decision engine: (recorded state, left now, right now, options) -> a {@link Plan}. Pure: it reads
 * only its arguments, so it can be tested table by table and run for one path or a whole tree.
 *
 * <p>Renames are found first ({@link RenameDetector}) and carried over as renames where the other side still holds
 * the recorded file; every other path goes through the decision table ({@link PathDecider}); conflicts get their
 * mode's actions ({@link ConflictResolver}); a directory that would keep entries is not deleted
 * ({@link DirectoryDeletes}).
 */
public final class Reconciler {
    private Reconciler() {
    }

    public static Plan reconcile(Map<RelPath, Recorded> records, Map<RelPath, Version> left,
                                 Map<RelPath, Version> right, ReconcileOptions options) {
        List<Action> out = new ArrayList<>();
        List<Action> needs = new ArrayList<>();
        List<PendingConflict> conflicts = new ArrayList<>();
        Set<RelPath> handled = new HashSet<>();
        Survey survey = Survey.of(records, left, right);
        ConflictResolver resolver = new ConflictResolver(options,
                p -> records.containsKey(p) || left.containsKey(p) || right.containsKey(p), out);
        if (!options.firstRun()) {
            renames(records, left, right, survey, out, needs, handled, resolver);
        }
        PathDecider decider = new PathDecider(options, out, needs, conflicts);
        // any order: the plan sorts its actions; sorting 90k paths here cost a no-change run a second
        records.forEach((path, rec) -> {
            if (!handled.contains(path)) {
                decider.decide(path, rec, Optional.ofNullable(left.get(path)), Optional.ofNullable(right.get(path)));
            }
        });
        Recorded none = new Recorded(Optional.empty(), Optional.empty());
        for (RelPath path : survey.unrecorded()) {
            if (!handled.contains(path)) {
                decider.decide(path, none, Optional.ofNullable(left.get(path)), Optional.ofNullable(right.get(path)));
            }
        }
        conflicts.sort(java.util.Comparator.comparing(PendingConflict::path));   // clash names picked in path order
        conflicts.forEach(resolver::resolve);
        return Plan.of(DirectoryDeletes.settle(out, left, right), needs);
    }

    private static void renames(Map<RelPath, Recorded> records, Map<RelPath, Version> left,
                                Map<RelPath, Version> right, Survey survey, List<Action> out, List<Action> needs,
                                Set<RelPath> handled, ConflictResolver resolver) {
        List<Move> leftMoves = RenameDetector.detect(Side.LEFT, records, left, survey, needs);
        List<Move> rightMoves = RenameDetector.detect(Side.RIGHT, records, right, survey, needs);
        Map<RelPath, Move> rightByFrom = new HashMap<>();
        rightMoves.forEach(m -> rightByFrom.put(m.from(), m));
        List<Move> single = new ArrayList<>();
        for (Move m : leftMoves) {
            Move n = rightByFrom.remove(m.from());
            if (n == null) {
                single.add(m);
                continue;
            }
            handled.add(m.from());
            handled.add(m.to());
            handled.add(n.to());
            if (m.to().equals(n.to())) {                       // renamed alike on both sides
                out.add(new Action.Record(m.to(), left.get(m.to()), right.get(n.to())));
                out.add(new Action.Forget(m.from()));
            } else {
                resolver.resolveRenames(m.from(), m.to(), left.get(m.to()), n.to(), right.get(n.to()),
                        (side, p) -> (side == Side.LEFT ? left : right).containsKey(p));
            }
        }
        single.addAll(rightByFrom.values());
        for (Move m : single) {
            Side across = m.side().other();
            Map<RelPath, Version> there = across == Side.LEFT ? left : right;
            Optional<Version> recorded = records.get(m.from()).on(across);
            Version now = there.get(m.from());
            boolean carries = recorded.isPresent() && now != null && now.unchangedSince(recorded.get())
                    && !there.containsKey(m.to()) && !handled.contains(m.from()) && !handled.contains(m.to());
            if (carries) {                 // else: the delete and the create go through the table, nothing lost
                out.add(new Action.Rename(across, m.from(), m.to()));
                handled.add(m.from());
                handled.add(m.to());
            }
        }
    }
}
