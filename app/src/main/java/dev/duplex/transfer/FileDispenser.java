package dev.duplex.transfer;

import dev.duplex.backlog.FileRow;
import java.util.Iterator;
import java.util.Optional;

/**
 * The pending files, handed to the readers of all lanes one at a time, and the turn to stream a large file: small
 * files gain from several in flight (their cost is per-file latency), but large files read side by side turn one
 * sequential read of the source into interleaved ones, which disks and read-ahead handle worse. So one large file
 * streams at a time while the other lanes go on with small ones. Thread-safe.
 */
final class FileDispenser {
    private final Iterator<FileRow> rows;
    private final java.util.concurrent.Semaphore largeFileTurn = new java.util.concurrent.Semaphore(1, true);

    FileDispenser(Iterator<FileRow> rows) {
        this.rows = rows;
    }

    /** The next pending file, or empty when the backlog is exhausted. */
    synchronized Optional<FileRow> take() {
        return rows.hasNext() ? Optional.of(rows.next()) : Optional.empty();
    }

    /** Waits for the turn to stream a large file; give it back with {@link #endLargeFile()}. */
    void beginLargeFile() throws InterruptedException {
        largeFileTurn.acquire();
    }

    void endLargeFile() {
        largeFileTurn.release();
    }
}
