package dev.duplex.tree;

import java.util.Optional;

/**
 * A path inside a tree, relative to its root, with {@code /} between names on every platform: what the scan, the
 * backlog, the transfer and the wire speak; only a {@link LocalTree} turns it into a path of this machine. Every
 * name is a real name: never empty, {@code .} or {@code ..}, never holding {@code /} or NUL, so a RelPath cannot
 * leave its root. Ordered name by name (the order of a walk that visits each directory's children sorted by
 * name). Immutable.
 */
public final class RelPath implements Comparable<RelPath> {
    /** The root itself. */
    public static final RelPath ROOT = new RelPath("");

    private final String path;

    private RelPath(String path) {
        this.path = path;
    }

    /**
     * Parses a {@code /}-separated relative path ({@code ""} is the root).
     *
     * @throws IllegalArgumentException naming the path when it is absolute, has an empty, {@code .} or {@code ..}
     *     name, or holds NUL
     */
    public static RelPath of(String slashed) {
        if (slashed.isEmpty()) {
            return ROOT;
        }
        if (slashed.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a path holds NUL: '" + slashed.replace('\0', '?') + "'");
        }
        int start = 0;
        int n = slashed.length();
        while (true) {                 // each name checked in place: a db load parses every recorded path
            int slash = slashed.indexOf('/', start);
            int end = slash < 0 ? n : slash;
            int len = end - start;
            if (len == 0 || (slashed.charAt(start) == '.' && (len == 1
                    || (len == 2 && slashed.charAt(start + 1) == '.')))) {
                throw new IllegalArgumentException("not a relative path inside a tree: '" + slashed + "'");
            }
            if (slash < 0) {
                return new RelPath(slashed);
            }
            start = slash + 1;
        }
    }

    /** The entry {@code name} in this directory. */
    public RelPath resolve(String name) {
        checkName(name);
        return new RelPath(path.isEmpty() ? name : path + "/" + name);
    }

    /** A path below this one ({@code "a/b"} below {@code "x"} is {@code "x/a/b"}). */
    public RelPath resolve(RelPath below) {
        if (below.isRoot()) {
            return this;
        }
        return isRoot() ? below : new RelPath(path + "/" + below.path);
    }

    /** Whether {@code name} can be one name of a path. */
    public static boolean isValidName(String name) {
        return !name.isEmpty() && !name.equals(".") && !name.equals("..") && name.indexOf('/') < 0
                && name.indexOf('\0') < 0;
    }

    private static void checkName(String name) {
        if (!isValidName(name)) {
            throw new IllegalArgumentException("not a file name: '" + name.replace('\0', '?') + "'");
        }
    }

    public boolean isRoot() {
        return path.isEmpty();
    }

    /** The last name ({@code ""} for the root). */
    public String name() {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** The directory holding this entry; empty for the root. */
    public Optional<RelPath> parent() {
        if (isRoot()) {
            return Optional.empty();
        }
        int slash = path.lastIndexOf('/');
        return Optional.of(slash < 0 ? ROOT : new RelPath(path.substring(0, slash)));
    }

    /** This path's text with another last name: the same directory ({@code a/b.txt} -> {@code a/NAME}). */
    public RelPath sibling(String name) {
        return parent().orElseThrow(() -> new IllegalArgumentException("the root has no siblings")).resolve(name);
    }

    /** Whether this path is {@code other} or below it. */
    public boolean startsWith(RelPath other) {
        return other.isRoot() || path.equals(other.path) || path.startsWith(other.path + "/");
    }

    /** The {@code /}-separated text ({@code ""} for the root). */
    @Override
    public String toString() {
        return path;
    }

    @Override
    public int compareTo(RelPath other) {
        return RelativePathOrder.INSTANCE.compare(path, other.path);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RelPath r && r.path.equals(path);
    }

    @Override
    public int hashCode() {
        return path.hashCode();
    }
}
