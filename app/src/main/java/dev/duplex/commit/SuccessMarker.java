package dev.duplex.commit;

import dev.duplex.tree.RelPath;
import dev.duplex.tree.Tree;
import java.io.IOException;
import java.util.List;

/**
 * {@code --success-marker NAME} (Hadoop's {@code _SUCCESS}): removed from every destination root when a run
 * starts, so a marker left by an earlier run never vouches for this one, and written (empty) when the run is about
 * to exit 0.
 */
public final class SuccessMarker {
    private final RelPath name;
    private final List<Tree> destinations;

    public SuccessMarker(String name, List<Tree> destinations) {
        this.name = RelPath.of(name);
        this.destinations = List.copyOf(destinations);
    }

    /** Removes a stale marker; throws naming the path when one cannot be removed. */
    public void removeStale() throws IOException {
        for (Tree d : destinations) {
            d.delete(name);
        }
    }

    /** Writes the marker at every destination root. */
    public void write() throws IOException {
        for (Tree d : destinations) {
            d.writeSmallFile(name, new byte[0]);
        }
    }

    public List<String> names() {
        return destinations.stream().map(d -> d.nameOf(name)).toList();
    }
}
