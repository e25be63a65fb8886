package dev.duplex.scan;

import java.nio.file.Path;
import java.util.Comparator;

/**
 * Orders relative paths name by name, which is the order of a pre-order walk that visits each directory's
 * children sorted by name. Both walks use it, so their streams can be merged like two sorted lists.
 */
final class RelativePathOrder implements Comparator<Path> {
    static final RelativePathOrder INSTANCE = new RelativePathOrder();

    @Override
    public int compare(Path a, Path b) {
        int n = Math.min(a.getNameCount(), b.getNameCount());
        for (int i = 0; i < n; i++) {
            int c = a.getName(i).toString().compareTo(b.getName(i).toString());
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.getNameCount(), b.getNameCount());
    }
}
