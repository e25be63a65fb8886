package dev.duplex.transfer;

import dev.duplex.backlog.FileRow;
import dev.duplex.backlog.HeldRows;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Optional;

/**
 * The pending files, handed to the readers of all lanes one at a time, and the turn to stream a large file: small
 * files gain from several in flight (their cost is per-file latency), but large files read side by side turn one
 * sequential read of the source into interleaved ones, which disks and read-ahead handle worse. So one large file
 * streams at a time while the other lanes go on with small ones.
 *
 * <p>A file that ran out of space on a destination while other files' temps were there is tried again alone: once
 * the backlog is exhausted and every other file has settled, such files are handed out one at a time, so that
 * their second failure (if any) is a verdict on the file, not on its neighbours. So readers end only when every
 * file they took has settled. Thread-safe.
 */
final class FileDispenser {
    private final Iterator<FileRow> rows;
    private final java.util.concurrent.Semaphore largeFileTurn = new java.util.concurrent.Semaphore(1, true);
    private final Deque<FileRow> aloneLater = new ArrayDeque<>();
    private int unsettled;

    FileDispenser(Iterator<FileRow> rows) {
        this.rows = rows;
    }

    /**
     * The next file to copy; empty when the backlog is exhausted and every file taken has settled. Waits while
     * files are still in flight that may have to be tried again.
     */
    synchronized Optional<FileRow> take() throws InterruptedException {
        while (true) {
            if (rows.hasNext()) {
                unsettled++;
                return Optional.of(rows.next());
            }
            if (unsettled == 0) {
                if (aloneLater.isEmpty()) {
                    return Optional.empty();
                }
                unsettled++;
                return Optional.of(aloneLater.poll());
            }
            wait();
        }
    }

    /** A file taken is done with (copied, failed, deferred or vanished). Called by the commit stage. */
    synchronized void settled(FileRow row) {
        unsettled--;
        if (rows instanceof HeldRows held) {
            held.settled(row);
        }
        notifyAll();
    }

    /** A file taken is to be tried again alone, at the end. Called by the commit stage. */
    synchronized void tryAloneLater(FileRow row) {
        aloneLater.add(row);
        unsettled--;
        notifyAll();
    }

    /** Waits for the turn to stream a large file; give it back with {@link #endLargeFile()}. */
    void beginLargeFile() throws InterruptedException {
        largeFileTurn.acquire();
    }

    void endLargeFile() {
        largeFileTurn.release();
    }
}
