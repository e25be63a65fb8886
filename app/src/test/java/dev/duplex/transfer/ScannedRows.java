package dev.duplex.transfer;

import dev.duplex.backlog.FileMetadata;
import dev.duplex.backlog.FileRow;
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
            rows.add(FileRow.toAll(p, dests.stream().map(d -> d.resolve(n)).toList(), m));
        }
        return rows;
    }
}
