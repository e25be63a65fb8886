package dev.duplex.tree;

import java.util.Comparator;

/**
 * Orders relative paths name by name, which is the order of a pre-order walk that visits each directory's
 * children sorted by name. Both walks use it, so their streams can be merged like two sorted lists. Works on the
 * path text with {@code /} ranking below every other character (no file name contains it), which equals comparing
 * name by name without splitting the paths.
 */
public final class RelativePathOrder implements Comparator<String> {
    public static final RelativePathOrder INSTANCE = new RelativePathOrder('/');

    private final char separator;

    RelativePathOrder(char separator) {
        this.separator = separator;
    }

    @Override
    public int compare(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                if (x == separator) {
                    return -1;
                }
                if (y == separator) {
                    return 1;
                }
                return Character.compare(x, y);
            }
        }
        return Integer.compare(a.length(), b.length());
    }
}
