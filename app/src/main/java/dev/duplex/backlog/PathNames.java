package dev.duplex.backlog;

import dev.duplex.tree.RelPath;
import dev.duplex.tree.Roots;

/**
 * How the db names an entry: the full names of the contract's columns ({@code source_path}, {@code dest_path},
 * {@code dest2_path}) for a relative path, and back. The job's trees give them.
 */
public interface PathNames {
    String sourceName(RelPath path);

    String destinationName(int destination, RelPath path);

    int destinations();

    /**
     * The relative path of a {@code source_path} value.
     *
     * @throws IllegalArgumentException when the name is not under the source root (a db of another job)
     */
    RelPath pathOfSource(String sourceName);

    /** The names a job's trees give. */
    static PathNames of(Roots roots) {
        return new PathNames() {
            @Override
            public String sourceName(RelPath path) {
                return roots.source().nameOf(path);
            }

            @Override
            public String destinationName(int destination, RelPath path) {
                return roots.destination(destination).nameOf(path);
            }

            @Override
            public int destinations() {
                return roots.destinationCount();
            }

            @Override
            public RelPath pathOfSource(String sourceName) {
                return roots.source().relativize(sourceName);
            }
        };
    }
}
