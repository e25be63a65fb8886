package dev.duplex.commit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code --success-marker NAME} (Hadoop's {@code _SUCCESS}): removed from every destination root when a run
 * starts, so a marker left by an earlier run never vouches for this one, and written (empty) when the run is about
 * to exit 0.
 */
public final class SuccessMarker {
    private final String name;
    private final List<Path> destinationRoots;

    public SuccessMarker(String name, List<Path> destinationRoots) {
        this.name = name;
        this.destinationRoots = List.copyOf(destinationRoots);
    }

    /** Removes a stale marker; throws naming the path when one cannot be removed. */
    public void removeStale() throws IOException {
        for (Path root : destinationRoots) {
            Files.deleteIfExists(root.resolve(name));
        }
    }

    /** Writes the marker at every destination root. */
    public void write() throws IOException {
        for (Path root : destinationRoots) {
            AtomicFile.write(root.resolve(name), new byte[0]);
        }
    }

    public List<Path> paths() {
        return destinationRoots.stream().map(r -> r.resolve(name)).toList();
    }
}
