package dev.duplex.transfer;

import java.nio.file.Path;

/** What the reader and the writers report to the commit stage on the job thread. */
sealed interface PipelineEvent {
    /** A writer has the whole file in a closed (and, with --verify, verified) temp file. */
    record Prepared(FileTicket file, int destIndex, Path tempPath, String hash) implements PipelineEvent {}

    /** A writer could not produce the file; its temp file is already removed. */
    record WriteFailed(FileTicket file, int destIndex, String reason) implements PipelineEvent {}

    /** The reader did not start the file: it failed to open, or it is deferred until it is stable. */
    record NotStarted(FileTicket file, boolean deferred, String reason) implements PipelineEvent {}

    /** A writer took its END block; it reports nothing more. */
    record WriterFinished(int destIndex) implements PipelineEvent {}
}
