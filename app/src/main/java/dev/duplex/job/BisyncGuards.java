package dev.duplex.job;

import dev.duplex.bisync.Action;
import dev.duplex.bisync.Plan;
import dev.duplex.bisync.Recorded;
import dev.duplex.bisync.Side;
import dev.duplex.tree.RelPath;
import dev.duplex.tree.Tree;
import java.util.Map;

/** {@code --max-delete}: a run that would delete more files on one side than allowed changes nothing (exit 4). */
final class BisyncGuards {
    private BisyncGuards() {
    }

    static void check(BisyncOptions options, Plan plan, Map<RelPath, Recorded> recorded, Tree left, Tree right) {
        if (options.force()) {
            return;
        }
        for (Side side : Side.values()) {
            long deletes = plan.all(Action.Delete.class).stream()
                    .filter(d -> d.on() == side && !d.version().isDirectory()).count();
            if (deletes == 0) {
                continue;
            }
            long files = recorded.values().stream()
                    .filter(r -> r.on(side).filter(v -> !v.isDirectory()).isPresent()).count();
            boolean tooMany = options.maxDeletePercent()
                    ? files > 0 && deletes * 100 > options.maxDelete() * files
                    : deletes > options.maxDelete();
            if (tooMany) {
                Tree tree = side == Side.LEFT ? left : right;
                throw JobFailure.fatal("this run would delete " + deletes + " of the " + files + " files recorded "
                        + "on the " + side.label() + " side (" + tree.root() + "), more than --max-delete "
                        + options.maxDelete() + (options.maxDeletePercent() ? "%" : "") + "; nothing was changed. "
                        + "Check that both roots are the right ones and mounted (duplex bisync --dry-run shows the "
                        + "plan), then run with --force to go ahead");
            }
        }
    }
}
