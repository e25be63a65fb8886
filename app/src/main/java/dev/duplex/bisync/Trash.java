package dev.duplex.bisync;

import dev.duplex.tree.RelPath;
import dev.duplex.tree.Tree;
import java.io.IOException;
import java.util.Optional;

/**
 * Soft delete (contract: Soft delete): a file or symlink of at most {@code softDeleteMax} bytes that a run deletes
 * or overwrites is moved to {@code <root>/.sync_trash/<run start>/<relative path>} on its side, keeping its mtime;
 * larger files are deleted; directories are removed once empty.
 */
public final class Trash {
    private final long softDeleteMax;
    private final String runStamp;
    private final Copier copier;

    /** @param runStamp the run's start, {@code YYYYMMDD-HHMMSS} in the local zone */
    public Trash(long softDeleteMax, String runStamp, Copier copier) {
        this.softDeleteMax = softDeleteMax;
        this.runStamp = runStamp;
        this.copier = copier;
    }

    /** Where a path goes in the trash (the first free name: a second version of one path in one run gets ~2). */
    RelPath placeFor(Tree tree, RelPath path) throws IOException {
        RelPath base = RelPath.of(SideScanner.TRASH + "/" + runStamp + "/" + path);
        RelPath candidate = base;
        for (int n = 2; tree.stat(candidate, Tree.Detail.BASIC).isPresent(); n++) {
            candidate = base.sibling(base.name() + "~" + n);
        }
        return candidate;
    }

    /**
     * Takes {@code version} at {@code path} out of {@code tree}: into the trash by the size rule (always, with
     * {@code always}), else deleted.
     *
     * @return where it went in the trash; empty when it was deleted
     */
    Optional<RelPath> remove(Tree tree, RelPath path, Version version, boolean always)
            throws IOException, InterruptedException {
        if (version.isDirectory()) {
            tree.delete(path);
            return Optional.empty();
        }
        if (!always && (softDeleteMax <= 0 || version.size() > softDeleteMax)) {
            tree.delete(path);
            return Optional.empty();
        }
        RelPath place = placeFor(tree, path);
        if (tree.renamer().isPresent()) {
            tree.renamer().get().rename(path, place);
        } else {
            copier.copy(tree, path, version, tree, place, () -> { });
            tree.delete(path);
        }
        return Optional.of(place);
    }
}
