package dev.duplex.transfer;

import dev.duplex.backlog.FileMetadata;
import dev.duplex.backlog.FileRow;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One file on its way through the pipeline: the backlog row, the metadata the reader saw when it opened the
 * source, and a cancel flag a writer raises when it cannot go on (so the reader stops reading the file).
 */
public final class FileTicket {
    private final FileRow row;
    private volatile FileMetadata seen;
    private volatile String cancelReason;
    private volatile boolean sourceChanged;
    private volatile boolean mapped;

    FileTicket(FileRow row) {
        this.row = row;
        this.seen = row.metadata();
    }

    public FileRow row() {
        return row;
    }

    public Path sourcePath() {
        return row.sourcePath();
    }

    public Path destinationPath(int destIndex) {
        return row.destPaths().get(destIndex);
    }

    /** The source metadata when the reader opened it (the backlog's until then). */
    public FileMetadata seen() {
        return seen;
    }

    void seen(FileMetadata metadata) {
        this.seen = metadata;
    }

    void cancel(String reason) {
        if (cancelReason == null) {
            cancelReason = reason;
        }
    }

    /** The reader saw the source change during the read: not a failure, the file just is not ready. */
    void markSourceChanged() {
        sourceChanged = true;
    }

    /** The reader sent blocks that map the source file: the writers copy its live pages, not a snapshot. */
    void markMapped() {
        mapped = true;
    }

    boolean isMapped() {
        return mapped;
    }

    boolean isSourceChanged() {
        return sourceChanged;
    }

    Optional<String> cancelReason() {
        return Optional.ofNullable(cancelReason);
    }
}
