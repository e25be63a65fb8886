package dev.duplex.transfer;

import dev.duplex.digest.HashAlgorithm;
import dev.duplex.report.TransferStats;
import dev.duplex.tree.TempFile;
import dev.duplex.tree.Tree;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The consumer for one destination (seed 001 §2.5): takes blocks from its queue and writes each file into its
 * temp file on the destination's tree. On a file's last block it finishes the temp (flushed with --fsync,
 * verified, the source's times applied: at once on a local tree, when the far side says so on a remote one) and
 * reports the file as prepared; the rename to the final name is the commit stage's. On any failure the temp file
 * is given up, the ticket's cancel flag raised so the reader stops, and the failure reported. Exactly one report
 * per started file. Runs on its own thread until it takes {@link Block#END}, then waits for the finishes still
 * under way before it says it is done.
 */
final class DestinationWriter implements Callable<Void> {
    private final int destIndex;
    private final Tree tree;
    private final BlockingQueue<Block> queue;
    private final BlockingQueue<PipelineEvent> events;
    private final TransferStats stats;
    private final HashAlgorithm algorithm;
    private final boolean verify;
    private final boolean fsync;
    private final long flushEveryBytes;
    private final TempsInFlight tempsInFlight;
    private final WrittenHash writtenHash;
    private final List<CompletableFuture<Void>> finishing = new ArrayList<>();
    private long bytesSinceFlush;
    private FileTicket current;
    private FileTicket reported;
    private TempFile temp;

    DestinationWriter(int destIndex, Tree tree, BlockingQueue<Block> queue, BlockingQueue<PipelineEvent> events,
                      TransferStats stats, HashAlgorithm algorithm, boolean verify, boolean fsync,
                      long flushEveryBytes, TempsInFlight tempsInFlight) {
        this.destIndex = destIndex;
        this.tree = tree;
        this.queue = queue;
        this.events = events;
        this.stats = stats;
        this.algorithm = algorithm;
        this.verify = verify;
        this.fsync = fsync;
        this.flushEveryBytes = flushEveryBytes;
        this.tempsInFlight = tempsInFlight;
        this.writtenHash = new WrittenHash(algorithm);
    }

    @Override
    public Void call() throws InterruptedException {
        Throwable died = null;
        try {
            while (true) {
                Block block = queue.take();
                switch (block.kind()) {
                    case END -> {
                        awaitFinishing();
                        return null;
                    }
                    case ABORT -> abort(block);
                    case DATA -> write(block);
                }
            }
        } catch (Error e) {
            died = e;
            throw e;
        } finally {
            discardTemp();
            writtenHash.close();
            events.put(new PipelineEvent.WriterFinished(destIndex, Optional.ofNullable(died)));
        }
    }

    private void write(Block block) throws InterruptedException {
        SharedBuffer data = block.data().orElseThrow();
        try {
            if (block.file() == reported) {
                return; // this file already failed here; drop the rest of its blocks
            }
            if (block.file() != current) {
                open(block);
            }
            ByteBuffer view = data.view();
            int length = view.remaining();
            try {
                temp.write(view);
            } catch (IOException e) {
                if (data.isMapped() && isBadAddress(e)) {
                    sourceUnreadable(block.file(), e); // the kernel could not read the source's mapped pages
                    return;
                }
                throw e;
            }
            stats.written(destIndex, length);
            if (data.isMapped() && hashesFor(block.file())) {
                writtenHash.add(temp.localPath().orElseThrow(), block.offset(), length);
            }
            flushWhenDue(length);
            if (block.isLast()) {
                finish(block);
            }
        } catch (IOException e) {
            boolean contended = TempsInFlight.isOutOfSpace(e) && tempsInFlight.othersThan(destIndex, block.file());
            fail(block.file(), describe(e, block), contended);
        } catch (RuntimeException e) {
            fail(block.file(), describe(e, block), false);
        } finally {
            data.release();
        }
    }

    private void open(Block block) throws IOException {
        bytesSinceFlush = 0;
        discardTemp();
        current = block.file();
        tempsInFlight.add(destIndex, current);
        temp = tree.createTemp(current.path());
    }

    /**
     * Under a bandwidth limit, writes reach the destination as paced as the reads: a share mounted with a write
     * cache (NFS, SMB) would otherwise hold the data as dirty pages and send it in bursts at line rate when the
     * kernel flushes. Flushing every {@code flushEveryBytes} (a fraction of a second at the limit) bounds that.
     */
    private void flushWhenDue(int written) throws IOException {
        if (flushEveryBytes <= 0) {
            return;
        }
        bytesSinceFlush += written;
        if (bytesSinceFlush >= flushEveryBytes) {
            temp.flush();
            bytesSinceFlush = 0;
        }
    }

    /** Finishes the temp; the file is reported prepared (or failed) when the tree is done with it. */
    private void finish(Block block) throws IOException, InterruptedException {
        String hash = block.fileHash().isPresent() ? block.fileHash().get()
                : hashesFor(block.file()) ? writtenHash.finish() : "";
        FileTicket file = current;
        CompletableFuture<Void> done = temp.finish(new TempFile.Finish(block.sourceMetadata(), fsync, verify,
                algorithm, hash.isEmpty() ? Optional.empty() : Optional.of(hash)));
        reported = current;
        current = null;
        temp = null;
        if (done.isDone()) {
            report(file, done, hash, block);
        } else {
            finishing.removeIf(CompletableFuture::isDone); // many small files: keep only those still under way
            finishing.add(done.handle((v, e) -> {
                try {
                    report(file, done, hash, block);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
                return null;
            }));
        }
    }

    /** The outcome of a finished temp, as an event for the commit stage. */
    private void report(FileTicket file, CompletableFuture<Void> done, String hash, Block block)
            throws InterruptedException {
        try {
            done.get();
        } catch (InterruptedException e) {
            tree.abandon(file.path()); // stopping: the commit stage will never hear of this temp file
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException c && c.getCause() != null ? c.getCause()
                    : e.getCause();
            tempsInFlight.remove(destIndex, file);
            boolean contended = cause instanceof IOException io && TempsInFlight.isOutOfSpace(io)
                    && tempsInFlight.othersThan(destIndex, file);
            String what = cause instanceof IOException io ? SourceChecks.describe(io) : String.valueOf(cause);
            events.put(new PipelineEvent.WriteFailed(file, destIndex, destinationName(destIndex) + ": cannot write "
                    + block.destinationName(destIndex) + ": " + what, true, contended));
            return;
        }
        try {
            events.put(new PipelineEvent.Prepared(file, destIndex, hash));
        } catch (InterruptedException e) {
            tree.abandon(file.path()); // stopping: the commit stage will never hear of this temp file
            throw e;
        }
    }

    /** Waits until the finishes still under way (on a remote tree) have reported. */
    private void awaitFinishing() throws InterruptedException {
        for (CompletableFuture<Void> f : finishing) {
            try {
                f.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("reporting a finished file failed", e.getCause());
            }
        }
        finishing.clear();
    }

    private void abort(Block block) throws InterruptedException {
        if (block.file() == reported) {
            return;
        }
        if (block.file() == current) {
            discardTemp();
        }
        report(block.file(), block.abortReason().orElse("aborted"), false, false);
    }

    private void fail(FileTicket file, String reason, boolean spaceContended) throws InterruptedException {
        file.cancel(reason);
        discardTemp();
        report(file, reason, true, spaceContended);
    }

    /**
     * EFAULT: writing from a map of the source, the kernel could not read its pages. Either the source shrank under
     * the map (a change: the file is deferred) or its storage failed (a source error, not the destination's).
     */
    private void sourceUnreadable(FileTicket file, IOException e) throws InterruptedException {
        String change = SourceChecks.changeDuringRead(file, file.seen().sizeBytes());
        String reason = change.isEmpty() ? "read error (mapped source): " + SourceChecks.describe(e) : change;
        if (!change.isEmpty()) {
            file.markSourceChanged();
        }
        file.cancel(reason);
        discardTemp();
        report(file, reason, false, false);
    }

    /** The error a write from a buffer returns when the buffer's pages cannot be read (EFAULT). */
    private static boolean isBadAddress(IOException e) {
        return e.getMessage() != null && e.getMessage().contains("Bad address");
    }

    private void report(FileTicket file, String reason, boolean destinationFault, boolean spaceContended)
            throws InterruptedException {
        events.put(new PipelineEvent.WriteFailed(file, destIndex, reason, destinationFault, spaceContended));
        reported = file;
    }

    /** A mapped file is hashed by the writer of its first destination, from what it wrote. */
    private boolean hashesFor(FileTicket file) {
        return java.util.Collections.min(file.row().targets()) == destIndex; // the commit stage takes the lowest's
    }

    /** Gives up the temp file of the file in progress, if any. */
    private void discardTemp() {
        writtenHash.discard();
        if (temp != null) {
            temp.abandon();
            temp = null;
        }
        if (current != null) {
            tempsInFlight.remove(destIndex, current);
        }
        current = null;
    }

    private String describe(Exception e, Block block) {
        String what = e instanceof IOException io ? SourceChecks.describe(io) : e.toString();
        return destinationName(destIndex) + ": cannot write " + block.destinationName(destIndex) + ": " + what;
    }

    /** How messages name destination {@code destIndex}: as the command line does, DEST or DEST2. */
    static String destinationName(int destIndex) {
        return destIndex == 0 ? "DEST" : "DEST2";
    }
}
