package dev.duplex.job;

import dev.duplex.backlog.BacklogStore;
import dev.duplex.tree.Roots;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A db belongs to one job (one source, its destinations). Reusing it for another would mark the wrong files
 * synced, so a mismatch is a usage error (exit 2) that names what the db belongs to.
 */
final class JobIdentity {
    private JobIdentity() {}

    static void bind(BacklogStore store, Roots roots, Object db) {
        Optional<String> other = store.bindJob(roots.source().root(), JobTrees.destinationNames(roots));
        other.ifPresent(o -> {
            throw JobFailure.usage("the db " + db + " belongs to another job (" + o + "); use a different --db for "
                    + roots.source().root() + " -> " + String.join(" + ", JobTrees.destinationNames(roots)));
        });
    }
}
