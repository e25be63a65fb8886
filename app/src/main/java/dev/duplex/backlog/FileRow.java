package dev.duplex.backlog;

import dev.duplex.tree.FileMetadata;
import dev.duplex.tree.RelPath;
import java.util.List;

/**
 * One row of the {@code files} table as the transfer phase needs it: the file's path (the same in the source and
 * in every destination), which destinations still need it (with two destinations a file may be current on one of
 * them), and the metadata seen by the last scan.
 */
public record FileRow(RelPath path, List<Integer> targets, FileMetadata metadata) {
    public FileRow {
        targets = List.copyOf(targets);
    }

    /** A row that every one of {@code destinations} needs. */
    public static FileRow toAll(RelPath path, int destinations, FileMetadata metadata) {
        return new FileRow(path, java.util.stream.IntStream.range(0, destinations).boxed().toList(), metadata);
    }

    /** The {@code needs} column: bit i set when destination i needs the file. */
    public int targetMask() {
        return maskOf(targets);
    }

    static int maskOf(List<Integer> targets) {
        int mask = 0;
        for (int i : targets) {
            mask |= 1 << i;
        }
        return mask;
    }

    /**
     * The destinations named by a {@code needs} mask. A row that is pending or prepared with no recorded target (set
     * by hand, or by an older version) is taken to need every destination: the safe reading.
     */
    static List<Integer> targetsOf(int mask, int destinations) {
        int needs = mask == 0 ? (1 << destinations) - 1 : mask;
        return java.util.stream.IntStream.range(0, destinations).filter(i -> (needs & (1 << i)) != 0).boxed().toList();
    }
}
