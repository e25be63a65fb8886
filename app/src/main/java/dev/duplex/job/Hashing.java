package dev.duplex.job;

import dev.duplex.bisync.Action;
import dev.duplex.bisync.Plan;
import dev.duplex.bisync.ReconcileOptions;
import dev.duplex.bisync.Reconciler;
import dev.duplex.bisync.Recorded;
import dev.duplex.bisync.Side;
import dev.duplex.bisync.Version;
import dev.duplex.digest.HashAlgorithm;
import dev.duplex.tree.RelPath;
import dev.duplex.tree.Tree;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reconciles, hashing what the reconciler asks for (files whose content decides: possible renames, mtime-only
 * changes, both sides changed alike) where the files are, until the plan is final. A file that cannot be hashed
 * (gone, unreadable) is left out of this run on both sides.
 */
final class Hashing {
    private static final int ROUNDS = 4;

    private final Tree left;
    private final Tree right;
    private final HashAlgorithm algorithm;
    private final Consumer<String> warnings;

    Hashing(Tree left, Tree right, HashAlgorithm algorithm, Consumer<String> warnings) {
        this.left = left;
        this.right = right;
        this.algorithm = algorithm;
        this.warnings = warnings;
    }

    Plan plan(Map<RelPath, Recorded> recorded, Map<RelPath, Version> leftNow, Map<RelPath, Version> rightNow,
              ReconcileOptions options) throws InterruptedException {
        Map<RelPath, Recorded> records = new HashMap<>(recorded);
        Plan plan = Reconciler.reconcile(records, leftNow, rightNow, options);
        for (int round = 1; !plan.isFinal() && round < ROUNDS; round++) {
            for (Action.NeedHash need : plan.hashesNeeded()) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException();
                }
                Map<RelPath, Version> side = need.side() == Side.LEFT ? leftNow : rightNow;
                Tree tree = need.side() == Side.LEFT ? left : right;
                Version v = side.get(need.path());
                if (v == null || v.hash().isPresent()) {
                    continue;
                }
                try {
                    side.put(need.path(), v.withHash(algorithm.cliName() + ":" + tree.hash(need.path(), algorithm)));
                } catch (IOException e) {
                    warnings.accept("cannot read " + tree.nameOf(need.path()) + " (" + SyncJob.describe(e)
                            + "); left for the next run");
                    leftNow.remove(need.path());
                    rightNow.remove(need.path());
                    records.remove(need.path());
                }
            }
            plan = Reconciler.reconcile(records, leftNow, rightNow, options);
        }
        return plan;
    }
}
