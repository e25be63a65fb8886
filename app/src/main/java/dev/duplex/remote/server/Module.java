package dev.duplex.remote.server;

import dev.duplex.tree.Confinement;
import dev.duplex.tree.LocalHooks;
import dev.duplex.tree.LocalTree;
import dev.duplex.tree.StatThreads;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * A directory the daemon serves under a name ({@code --module NAME=PATH}): its tree, strictly confined (nothing
 * outside PATH is ever read or written, symlinks inside it are never followed), shared by every session on it.
 */
public final class Module {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final String name;
    private final Path root;
    private final boolean readOnly;
    private final LocalTree tree;
    private final TempRegistry temps = new TempRegistry();
    private final Transfers transfers = new Transfers();
    private final BatchClaims batches = new BatchClaims();

    /**
     * @param confinement the daemon's one confinement, shared by every module (modules may overlap on disk: one
     *     lock keeps a change in one from racing a check in another)
     */
    public Module(String name, Path root, boolean readOnly, Confinement confinement) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("module name '" + name + "': use letters, digits, '.', '_' and '-' "
                    + "(at most 64)");
        }
        this.name = name;
        this.root = root.toAbsolutePath().normalize();
        this.readOnly = readOnly;
        this.tree = new LocalTree(this.root, StatThreads.none(), LocalHooks.REAL, confinement);
    }

    public String name() {
        return name;
    }

    public Path root() {
        return root;
    }

    public boolean readOnly() {
        return readOnly;
    }

    LocalTree tree() {
        return tree;
    }

    TempRegistry temps() {
        return temps;
    }

    Transfers transfers() {
        return transfers;
    }

    BatchClaims batches() {
        return batches;
    }

    /**
     * Gives up the parked transfers of {@code path} before a new temp file of it is made (a client that was killed
     * and runs again), so that none of them, expiring later, deletes the new one.
     */
    void supersede(dev.duplex.tree.RelPath path) {
        for (Receiving r : transfers.superseded(path)) {
            r.temp.abandon();
        }
    }

    /** Gives up the parked transfers nobody resumed in time (all of them with {@code all}). */
    void expireTransfers(java.time.Instant now, boolean all) {
        for (Receiving r : transfers.expire(now, all)) {
            r.temp.abandon();
            temps.remove(r.path);
        }
    }

    @Override
    public String toString() {
        return name + "=" + root + (readOnly ? " (read-only)" : "");
    }
}
