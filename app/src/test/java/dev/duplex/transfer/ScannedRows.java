package dev.duplex.transfer;

import dev.duplex.backlog.FileRow;
import dev.duplex.tree.FileMetadata;
import dev.duplex.tree.LocalHooks;
import dev.duplex.tree.LocalTree;
import dev.duplex.tree.RelPath;
import dev.duplex.tree.Roots;
import dev.duplex.tree.StatThreads;
import dev.duplex.tree.Tree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Backlog rows for files of a source tree, as a scan would record them, bound for every destination. */
final class ScannedRows {
    private ScannedRows() {}

    static List<FileRow> rows(Path src, List<Path> dests, String... names) throws IOException {
        List<FileRow> rows = new ArrayList<>();
        for (String n : names) {
            Path p = src.resolve(n);
            FileMetadata m = new FileMetadata(Files.size(p), Files.getLastModifiedTime(p).toInstant(),
                    Files.getLastModifiedTime(p).toInstant(), Optional.empty(), Optional.empty(), "0644");
            rows.add(FileRow.toAll(RelPath.of(n), dests.size(), m));
        }
        return rows;
    }

    /** The trees the rows were made for: local, with the given file operations. */
    static Roots roots(Path src, List<Path> dests, LocalHooks hooks) {
        return new Roots(new LocalTree(src, StatThreads.none(), hooks),
                dests.stream().<Tree>map(d -> new LocalTree(d, StatThreads.none(), hooks)).toList());
    }

    static Roots roots(Path src, List<Path> dests) {
        return roots(src, dests, LocalHooks.REAL);
    }
}
