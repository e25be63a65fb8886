package dev.duplex.job;

import dev.duplex.backlog.BacklogStore;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A db belongs to one job (one source, its destinations). Reusing it for another would mark the wrong files
 * synced, so a mismatch is a usage error (exit 2) that names what the db belongs to.
 */
final class JobIdentity {
    private JobIdentity() {}

    static void bind(BacklogStore store, SyncOptions options) {
        Optional<String> other = store.bindJob(options.source(), options.destinations());
        other.ifPresent(o -> {
            throw JobFailure.usage("the db " + options.dbPath() + " belongs to another job (" + o
                    + "); use a different --db for " + options.source() + " -> "
                    + String.join(" + ", options.destinations().stream().map(Path::toString).toList()));
        });
    }
}
