package dev.duplex.transfer;


/** What the reader and the writers report to the commit stage on the job thread. */
sealed interface PipelineEvent {
    /** A writer has the whole file in a closed (and, with --verify, verified) temp file. */
    record Prepared(FileTicket file, int destIndex, String hash) implements PipelineEvent {}

    /** A rename the commit stage started on a remote tree has completed, or failed. */
    record Committed(CommitStage.Commit commit, java.util.Optional<Throwable> failure) implements PipelineEvent {}

    /**
     * A writer could not produce the file; its temp file is already removed. {@code destinationFault}: the writer
     * itself failed (disk full, I/O error), rather than the reader aborting the file. {@code spaceContended}: it ran
     * out of space while another file's temp was on that destination (see {@link TempsInFlight}).
     */
    record WriteFailed(FileTicket file, int destIndex, String reason, boolean destinationFault,
                       boolean spaceContended) implements PipelineEvent {}

    /** The reader did not start the file. */
    record NotStarted(FileTicket file, Why why, String reason) implements PipelineEvent {}

    /** Why a file was not started. */
    enum Why { FAILED, DEFERRED, VANISHED }

    /**
     * A writer took its END block, or died of an {@link Error} (out of memory, ...), which it carries: then its
     * reader would block on its full queue for ever, so the pipeline must stop.
     */
    record WriterFinished(int destIndex, java.util.Optional<Throwable> died) implements PipelineEvent {}
}
