package dev.duplex.job;

import dev.duplex.bisync.Action;
import dev.duplex.bisync.ActionText;
import dev.duplex.bisync.Plan;
import dev.duplex.bisync.Version;
import dev.duplex.tree.RelPath;
import java.io.PrintWriter;
import java.util.Map;

/** A two-way dry run's output: the file counts of both sides, then one line per action. */
final class DryRunReport {
    private DryRunReport() {
    }

    static void print(PrintWriter out, Map<RelPath, Version> left, Map<RelPath, Version> right, Plan plan) {
        long l = files(left);
        long r = files(right);
        long both = left.entrySet().stream()
                .filter(e -> !e.getValue().isDirectory() && right.containsKey(e.getKey())
                        && !right.get(e.getKey()).isDirectory()).count();
        out.printf("dry run: left %d files, right %d files; only left %d, only right %d, on both %d%n", l, r,
                l - both, r - both, both);
        long actions = 0;
        for (Action a : plan.actions()) {
            if (a instanceof Action.Record || a instanceof Action.Forget) {
                continue;
            }
            out.println("would " + ActionText.describe(a));
            actions++;
        }
        out.printf("dry run: %d actions; nothing was changed%n", actions);
        out.flush();
    }

    private static long files(Map<RelPath, Version> side) {
        return side.values().stream().filter(v -> !v.isDirectory()).count();
    }
}
