package dev.duplex.transfer;

/**
 * Where the pipeline's per-file results go (the job records them in the db and the audit log). All methods are
 * called on the thread that called {@link TransferPipeline#run}, one at a time.
 */
public interface CommitSink {
    /** The file is under its final name on every destination, with the source's timestamps. */
    void synced(FileTicket file, String hash);

    /** The file is under its final name on no destination; no temp file of it remains. It stays pending. */
    void failed(FileTicket file, String reason);

    /** The file was not copied because it changed too recently (--stable-for); it stays pending. */
    void deferred(FileTicket file, String reason);

    /** No result is waiting: a good moment to commit a batch. */
    void idle();
}
