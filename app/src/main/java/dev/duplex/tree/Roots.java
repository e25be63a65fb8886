package dev.duplex.tree;

import java.util.List;

/** A job's trees: the source and one or two destinations. Closing it closes them. */
public record Roots(Tree source, List<Tree> destinations) implements AutoCloseable {
    public Roots {
        destinations = List.copyOf(destinations);
        if (destinations.isEmpty() || destinations.size() > 2) {
            throw new IllegalArgumentException("one or two destinations, not " + destinations.size());
        }
    }

    public Tree destination(int index) {
        return destinations.get(index);
    }

    public int destinationCount() {
        return destinations.size();
    }

    @Override
    public void close() {
        source.close();
        destinations.forEach(Tree::close);
    }
}
