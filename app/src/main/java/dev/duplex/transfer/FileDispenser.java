package dev.duplex.transfer;

import dev.duplex.backlog.FileRow;
import java.util.Iterator;
import java.util.Optional;

/** The pending files, handed to the readers of all lanes one at a time. Thread-safe. */
final class FileDispenser {
    private final Iterator<FileRow> rows;

    FileDispenser(Iterator<FileRow> rows) {
        this.rows = rows;
    }

    /** The next pending file, or empty when the backlog is exhausted. */
    synchronized Optional<FileRow> take() {
        return rows.hasNext() ? Optional.of(rows.next()) : Optional.empty();
    }
}
