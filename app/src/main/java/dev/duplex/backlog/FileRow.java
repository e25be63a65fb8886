package dev.duplex.backlog;

import java.nio.file.Path;
import java.util.List;

/**
 * One row of the {@code files} table as the transfer phase needs it: where the file comes from, where it goes
 * (one path per destination), which destinations still need it (indexes into {@code destPaths}; with two
 * destinations a file may be current on one of them), and the metadata seen by the last scan.
 */
public record FileRow(Path sourcePath, List<Path> destPaths, List<Integer> targets, FileMetadata metadata) {
    public FileRow {
        destPaths = List.copyOf(destPaths);
        targets = List.copyOf(targets);
    }

    /** A row that every destination needs. */
    public static FileRow toAll(Path sourcePath, List<Path> destPaths, FileMetadata metadata) {
        return new FileRow(sourcePath, destPaths,
                java.util.stream.IntStream.range(0, destPaths.size()).boxed().toList(), metadata);
    }

    /** The {@code needs} column: bit i set when destination i needs the file. */
    public int targetMask() {
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
