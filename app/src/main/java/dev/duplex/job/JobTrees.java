package dev.duplex.job;

import dev.duplex.digest.HashAlgorithm;
import dev.duplex.remote.ClientOptions;
import dev.duplex.remote.RefusedException;
import dev.duplex.remote.RemoteTree;
import dev.duplex.tree.LocalHooks;
import dev.duplex.tree.LocalTree;
import dev.duplex.tree.Roots;
import dev.duplex.tree.StatThreads;
import dev.duplex.tree.Tree;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens the trees of a job's roots: a {@link LocalTree} for a directory, a {@link RemoteTree} (connected and
 * handshaken) for an endpoint. A daemon that cannot be reached or refuses is fatal for the run (exit 4), before
 * anything changes on either side.
 */
final class JobTrees {
    private JobTrees() {}

    static Roots open(SyncOptions options, StatThreads statThreads) {
        return open(options.source(), options.destinations(), options.remote(), options.checksum(), statThreads,
                true);
    }

    /**
     * Opens the source for reading and the destinations for writing ({@code write} false: for reading too, as
     * {@code duplex check} does).
     */
    static Roots open(Location source, List<Location> destinations, ClientOptions remote, HashAlgorithm algorithm,
                      StatThreads statThreads, boolean write) {
        List<Tree> opened = new ArrayList<>();
        try {
            opened.add(open(source, remote, algorithm, statThreads, false));
            for (Location d : destinations) {
                opened.add(open(d, remote, algorithm, statThreads, write));
            }
            return new Roots(opened.get(0), opened.subList(1, opened.size()));
        } catch (RuntimeException e) {
            opened.forEach(Tree::close);
            throw e;
        }
    }

    private static Tree open(Location location, ClientOptions remote, HashAlgorithm algorithm,
                             StatThreads statThreads, boolean write) {
        if (location instanceof Location.Remote r) {
            try {
                return RemoteTree.connect(r.endpoint(), remote, write, algorithm);
            } catch (RefusedException e) {
                boolean noToken = e.reason().filter(x -> x == dev.duplex.remote.protocol.Handshake.Refusal.AUTH)
                        .isPresent() && remote.token().isEmpty();
                throw JobFailure.fatal(location.name() + ": " + e.getMessage()
                        + (noToken ? " (no token was given: --token-file FILE, or DUPLEX_TOKEN)" : "")
                        + "; nothing was changed", e);
            } catch (IOException e) {
                throw JobFailure.fatal(location.name() + ": " + SyncJob.describe(e) + "; nothing was changed", e);
            }
        }
        return new LocalTree(location.localPath().orElseThrow(), statThreads, LocalHooks.REAL);
    }

    /** The root names the db identity and messages use. */
    static List<String> destinationNames(Roots roots) {
        return roots.destinations().stream().map(Tree::root).toList();
    }
}
