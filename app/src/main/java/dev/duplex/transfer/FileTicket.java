package dev.duplex.transfer;

import dev.duplex.backlog.FileRow;
import dev.duplex.tree.FileMetadata;
import dev.duplex.tree.RelPath;
import dev.duplex.tree.Roots;
import java.util.Optional;

/**
 * One file on its way through the pipeline: the backlog row, the trees it goes between, the metadata the reader
 * saw when it opened the source, and a cancel flag a writer raises when it cannot go on (so the reader stops
 * reading the file).
 */
public final class FileTicket {
    private final FileRow row;
    private final Roots roots;
    private volatile FileMetadata seen;
    private volatile String cancelReason;
    private volatile boolean sourceChanged;
    private volatile boolean mapped;

    FileTicket(FileRow row, Roots roots) {
        this.row = row;
        this.roots = roots;
        this.seen = row.metadata();
    }

    public FileRow row() {
        return row;
    }

    public RelPath path() {
        return row.path();
    }

    Roots roots() {
        return roots;
    }

    /** The source file's full name (messages, audit). */
    public String sourceName() {
        return roots.source().nameOf(row.path());
    }

    /** The file's full name in destination {@code destIndex}. */
    public String destinationName(int destIndex) {
        return roots.destination(destIndex).nameOf(row.path());
    }

    /** How many destinations the job has (the file may need fewer: {@link FileRow#targets()}). */
    public int destinationCount() {
        return roots.destinationCount();
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
