package dev.duplex.cli;

import dev.duplex.job.Location;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Refuses roots that contain each other: copying into yourself never ends, and mirroring would delete data. Roots
 * on this machine are compared by their real paths; endpoints by module and path on the same daemon.
 */
final class RootOverlap {
    private RootOverlap() {}

    static Optional<String> check(Location source, List<Location> dests) {
        for (Location d : dests) {
            Optional<String> problem = compare(source, d, "SOURCE " + source, "DEST " + d);
            if (problem.isPresent()) {
                return problem;
            }
        }
        if (dests.size() == 2 && overlap(dests.get(0), dests.get(1)) != 0) {
            return Optional.of("DEST " + dests.get(0) + " and DEST2 " + dests.get(1)
                    + " overlap; give two separate directories");
        }
        return Optional.empty();
    }

    /** The two sides of a two-way sync: the same directory, or one inside the other, is refused. */
    static Optional<String> checkSides(Location left, Location right) {
        return switch (overlap(left, right)) {
            case SAME -> Optional.of("LEFT " + left + " and RIGHT " + right + " are the same directory");
            case FIRST_IN_SECOND -> Optional.of("LEFT " + left + " is inside RIGHT " + right
                    + "; the two sides of a two-way sync must not overlap");
            case SECOND_IN_FIRST -> Optional.of("RIGHT " + right + " is inside LEFT " + left
                    + "; the two sides of a two-way sync must not overlap");
            default -> Optional.empty();
        };
    }

    private static Optional<String> compare(Location source, Location dest, String sourceName, String destName) {
        return switch (overlap(source, dest)) {
            case SAME -> Optional.of(destName + " is the same directory as " + sourceName);
            case FIRST_IN_SECOND -> Optional.of(sourceName + " is inside " + destName
                    + "; choose a destination outside the source tree");
            case SECOND_IN_FIRST -> Optional.of(destName + " is inside " + sourceName
                    + "; choose a destination outside the source tree");
            default -> Optional.empty();
        };
    }

    private static final int NONE = 0;
    private static final int SAME = 1;
    private static final int FIRST_IN_SECOND = 2;
    private static final int SECOND_IN_FIRST = 3;

    private static int overlap(Location a, Location b) {
        if (a instanceof Location.Local la && b instanceof Location.Local lb) {
            return overlap(resolved(la.path()), resolved(lb.path()));
        }
        if (a instanceof Location.Remote ra && b instanceof Location.Remote rb
                && ra.endpoint().host().equalsIgnoreCase(rb.endpoint().host())
                && ra.endpoint().port() == rb.endpoint().port()
                && ra.endpoint().module().equals(rb.endpoint().module())) {
            Path root = Path.of("/");
            return overlap(root.resolve(ra.endpoint().path().toString()), root.resolve(rb.endpoint().path().toString()));
        }
        return NONE; // a directory here and one on a daemon: the daemon may be this machine, but we cannot tell
    }

    private static int overlap(Path a, Path b) {
        if (a.equals(b)) {
            return SAME;
        }
        if (a.startsWith(b)) {
            return FIRST_IN_SECOND;
        }
        return b.startsWith(a) ? SECOND_IN_FIRST : NONE;
    }

    /** The real path of the longest existing prefix, with the rest appended (symlinks resolved). */
    static Path resolved(Path p) {
        Path existing = p;
        Path rest = p.getFileSystem().getPath("");
        while (existing != null && !Files.exists(existing)) {
            Path name = existing.getFileName();
            rest = name == null ? rest : name.resolve(rest.toString().isEmpty() ? "" : rest.toString());
            existing = existing.getParent();
        }
        if (existing == null) {
            return p;
        }
        try {
            Path real = existing.toRealPath();
            return rest.toString().isEmpty() ? real : real.resolve(rest);
        } catch (IOException e) {
            return p;
        }
    }
}
