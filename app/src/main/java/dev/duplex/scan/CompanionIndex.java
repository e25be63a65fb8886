package dev.duplex.scan;

import dev.duplex.tree.Entry;
import dev.duplex.tree.EntryKind;
import dev.duplex.tree.RelPath;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which files the source has in the directories the merge is in, so that a destination's sidecar or ready marker
 * ({@code X.sha256}, {@code X.ready}) is known as the companion of a source file {@code X} without asking the
 * source again: in walk order, {@code X} comes before {@code X<suffix>} in the same directory. Holds only the
 * directories on the current path of the walk. Job thread only.
 */
final class CompanionIndex {
    private record Directory(RelPath path, Set<String> files) {}

    private final List<String> suffixes;
    private final Deque<Directory> open = new ArrayDeque<>();

    /** @param suffixes the sidecar and marker suffixes of the run; none: the index keeps nothing */
    CompanionIndex(List<String> suffixes) {
        this.suffixes = List.copyOf(suffixes);
    }

    /** A source entry, in walk order (excluded ones too: their companions are not extras either). */
    void sourceEntry(Entry e) {
        if (suffixes.isEmpty() || e.kind() != EntryKind.FILE) {
            return;
        }
        directory(e.path().parent().orElseThrow()).files().add(e.name());
    }

    /** Whether a destination file is the companion of a file the source has. */
    boolean isCompanion(Entry d) {
        if (suffixes.isEmpty() || d.kind() != EntryKind.FILE) {
            return false;
        }
        String name = d.name();
        for (String suffix : suffixes) {
            if (name.endsWith(suffix) && name.length() > suffix.length()
                    && directory(d.path().parent().orElseThrow()).files()
                    .contains(name.substring(0, name.length() - suffix.length()))) {
                return true;
            }
        }
        return false;
    }

    /** The directory's entry, after dropping those the walk has left (not on the way to {@code dir}). */
    private Directory directory(RelPath dir) {
        while (!open.isEmpty() && !dir.startsWith(open.peek().path())) {
            open.pop();
        }
        Optional<Directory> top = Optional.ofNullable(open.peek()).filter(d -> d.path().equals(dir));
        if (top.isPresent()) {
            return top.get();
        }
        Directory d = new Directory(dir, new HashSet<>());
        open.push(d);
        return d;
    }
}
