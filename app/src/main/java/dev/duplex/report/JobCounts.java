package dev.duplex.report;

/**
 * Where a job stands, from its db: files synced, pending (of which failing: tried and failed at least once; and
 * deferred: last tried while not stable, {@code --stable-for} or changed while read), files whose commit was under
 * way ({@code prepared}), and symlinks still to make.
 */
public record JobCounts(Tally synced, Tally pending, Tally failing, Tally deferred, long preparedFiles,
                        long pendingLinks) {

    /** A number of files and their total size in bytes. */
    public record Tally(long files, long bytes) {}
}
