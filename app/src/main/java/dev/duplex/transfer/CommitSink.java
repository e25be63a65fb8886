package dev.duplex.transfer;

/**
 * Where the pipeline's per-file results go (the job records them in the db and the audit log). All methods are
 * called on the thread that called {@link TransferPipeline#run}, one at a time.
 */
public interface CommitSink {
    /**
     * Complete (flushed, and verified with --verify) temp files exist on every destination that needs the file,
     * and more than one rename is about to happen. Must be durable before returning: a crash between the renames
     * is rolled forward from this record by the next run.
     */
    void prepared(FileTicket file, String hash);

    /**
     * The temps of a file are complete and its {@code renames} renames may begin: records it prepared when more than
     * one rename is to happen. A job shared by several hosts records every file prepared, with a check that this run
     * still holds it (its lease): false means it does not, and the temps are removed instead (see {@link #lost}).
     */
    default boolean beginCommit(FileTicket file, String hash, int renames) {
        if (renames > 1) {
            prepared(file, hash);
        }
        return true;
    }

    /** The file was not committed: this run no longer holds it (another host may be copying it). Nothing recorded. */
    default void lost(FileTicket file) {
    }

    /** The file is under its final name on every destination, with the source's timestamps. */
    void synced(FileTicket file, String hash);

    /**
     * The file is under its final name on no destination; no temp file of it remains. It stays pending.
     * {@code side} says whether a destination failed (disk full, I/O error) or the source did.
     */
    void failed(FileTicket file, Side side, String reason);

    /** The source file no longer exists: it leaves the backlog (the next scan would drop it too). */
    void vanished(FileTicket file);

    /** Which end of a copy failed. */
    enum Side { SOURCE, DESTINATION }

    /**
     * Some renames of a prepared file succeeded and one failed: the file stays prepared and the next run rolls it
     * forward. Counted as a failure of this run.
     */
    void partiallyCommitted(FileTicket file, String reason);

    /** The file was not copied because it is not stable (--stable-for, or it changed during the read). */
    void deferred(FileTicket file, String reason);

    /** No result is waiting: a good moment to commit a batch. */
    void idle();
}
