package dev.duplex.job;

import dev.duplex.bisync.Action;
import dev.duplex.bisync.Plan;
import dev.duplex.bisync.Side;
import dev.duplex.tree.Tree;
import java.util.function.ToLongFunction;

/** {@code --max-delete}: a run that would delete more files on one side than allowed changes nothing (exit 4). */
final class BisyncGuards {
    private BisyncGuards() {
    }

    /**
     * @param recordedFiles how many files the job records on a side (with --path and in a watch pass too: the limit
     *     is of the side's files, not the scope's); asked only when the plan deletes there
     * @param earlierDeletes files a watch already deleted on a side since its last full reconcile (a mass delete
     *     arrives as many small passes; 0 for a run)
     */
    static void check(BisyncOptions options, Plan plan, ToLongFunction<Side> recordedFiles,
                      ToLongFunction<Side> earlierDeletes, Tree left, Tree right) {
        if (options.force()) {
            return;
        }
        for (Side side : Side.values()) {
            long deletes = plan.all(Action.Delete.class).stream()
                    .filter(d -> d.on() == side && !d.version().isDirectory()).count();
            if (deletes == 0) {
                continue;
            }
            long earlier = earlierDeletes.applyAsLong(side);
            deletes += earlier;
            long files = recordedFiles.applyAsLong(side);
            boolean tooMany = options.maxDeletePercent()
                    ? files > 0 && deletes * 100 > options.maxDelete() * files
                    : deletes > options.maxDelete();
            if (tooMany) {
                Tree tree = side == Side.LEFT ? left : right;
                throw JobFailure.fatal("this run would delete " + deletes + (earlier > 0 ? " (" + earlier + " of them "
                        + "already deleted since the last full reconcile of this watch)" : "") + " of the " + files
                        + " files recorded "
                        + "on the " + side.label() + " side (" + tree.root() + "), more than --max-delete "
                        + options.maxDelete() + (options.maxDeletePercent() ? "%" : "") + "; nothing was changed. "
                        + "Check that both roots are the right ones and mounted (duplex bisync --dry-run shows the "
                        + "plan), then run with --force to go ahead");
            }
        }
    }
}
