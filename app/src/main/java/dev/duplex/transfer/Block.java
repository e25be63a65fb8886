package dev.duplex.transfer;

import dev.duplex.tree.FileMetadata;
import java.util.Optional;

/**
 * An entry of a writer's queue (seed 001 §2.3). A DATA block carries bytes at an offset of a file, with the file's
 * destination, timestamps and permissions reachable through its ticket; the last block of a file carries the
 * file's hash (a mapped file's does not: its first writer hashes what it wrote). An ABORT block tells the writers
 * to drop the file; END says no more files follow.
 */
record Block(Kind kind, FileTicket file, Optional<SharedBuffer> data, long offset, boolean isLast,
             Optional<String> fileHash, Optional<String> abortReason) {

    enum Kind { DATA, ABORT, END }

    static final Block END = new Block(Kind.END, null, Optional.empty(), 0, false, Optional.empty(),
            Optional.empty());

    static Block data(FileTicket file, SharedBuffer data, long offset) {
        return new Block(Kind.DATA, file, Optional.of(data), offset, false, Optional.empty(), Optional.empty());
    }

    static Block last(FileTicket file, SharedBuffer data, long offset, String fileHash) {
        return new Block(Kind.DATA, file, Optional.of(data), offset, true, Optional.of(fileHash), Optional.empty());
    }

    /** The last block of a mapped file: no hash yet, the hashing writer takes it from what it wrote. */
    static Block lastOfMap(FileTicket file, SharedBuffer data, long offset) {
        return new Block(Kind.DATA, file, Optional.of(data), offset, true, Optional.empty(), Optional.empty());
    }

    static Block abort(FileTicket file, String reason) {
        return new Block(Kind.ABORT, file, Optional.empty(), 0, false, Optional.empty(), Optional.of(reason));
    }

    /** The file's full name in destination {@code destIndex}, for messages. */
    String destinationName(int destIndex) {
        return file.destinationName(destIndex);
    }

    /** Source timestamps and permissions, as seen when the file was opened. */
    FileMetadata sourceMetadata() {
        return file.seen();
    }
}
