package dev.duplex.job;

import dev.duplex.tree.LocalTree;
import dev.duplex.tree.Roots;
import dev.duplex.tree.StatThreads;
import dev.duplex.tree.Tree;
import java.util.List;

/** Opens the trees of a job's roots. */
final class JobTrees {
    private JobTrees() {}

    static Roots open(SyncOptions options, StatThreads statThreads) {
        Tree source = new LocalTree(options.source(), statThreads, LocalTree.Hooks.REAL);
        List<Tree> dests = options.destinations().stream()
                .<Tree>map(d -> new LocalTree(d, statThreads, LocalTree.Hooks.REAL)).toList();
        return new Roots(source, dests);
    }

    /** The root names the db identity and messages use. */
    static List<String> destinationNames(Roots roots) {
        return roots.destinations().stream().map(Tree::root).toList();
    }
}
