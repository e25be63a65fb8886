package dev.duplex.transfer;

import dev.duplex.commit.DestinationGuard;
import dev.duplex.commit.TempName;
import dev.duplex.commit.TimestampApplier;
import dev.duplex.report.TransferStats;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;

/**
 * The consumer for one destination (seed 001 §2.5): takes blocks from its queue and writes each file into its
 * temp file ({@link TempName}) beside the final name. On a file's last block it flushes (with --fsync), closes,
 * re-reads and compares the hash (with --verify), applies the source timestamps, and reports the file as
 * prepared; the rename to the final name is the commit stage's. On any failure it removes the temp file, raises
 * the ticket's cancel flag so the reader stops, and reports the failure. Exactly one report per started file.
 * Runs on its own thread until it takes {@link Block#END}.
 */
final class DestinationWriter implements Callable<Void> {
    private final int destIndex;
    private final BlockingQueue<Block> queue;
    private final BlockingQueue<PipelineEvent> events;
    private final TransferStats stats;
    private final TimestampApplier timestamps;
    private final HashAlgorithm algorithm;
    private final boolean verify;
    private final boolean fsync;
    private final long flushEveryBytes;
    private long bytesSinceFlush;
    private final TempOpener tempOpener;
    private final DestinationGuard guard;
    private final TempsInFlight tempsInFlight;
    private FileTicket current;
    private FileTicket reported;
    private FileChannel channel;
    private Path temp;
    private final WrittenHash writtenHash;

    DestinationWriter(int destIndex, BlockingQueue<Block> queue, BlockingQueue<PipelineEvent> events,
                      TransferStats stats, TimestampApplier timestamps, HashAlgorithm algorithm,
                      boolean verify, boolean fsync, long flushEveryBytes, TempOpener tempOpener,
                      DestinationGuard guard, TempsInFlight tempsInFlight) {
        this.destIndex = destIndex;
        this.queue = queue;
        this.events = events;
        this.stats = stats;
        this.timestamps = timestamps;
        this.algorithm = algorithm;
        this.verify = verify;
        this.fsync = fsync;
        this.flushEveryBytes = flushEveryBytes;
        this.tempOpener = tempOpener;
        this.guard = guard;
        this.tempsInFlight = tempsInFlight;
        this.writtenHash = new WrittenHash(algorithm);
    }

    /** Opens (creating or truncating) a temp file for writing; a seam so tests can inject write faults. */
    @FunctionalInterface
    interface TempOpener {
        FileChannel open(Path temp) throws IOException;

        TempOpener DEFAULT = temp -> FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
    }

    @Override
    public Void call() throws InterruptedException {
        Error died = null;
        try {
            while (true) {
                Block block = queue.take();
                switch (block.kind()) {
                    case END -> {
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
            events.put(new PipelineEvent.WriterFinished(destIndex, java.util.Optional.ofNullable(died)));
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
                while (view.hasRemaining()) {
                    channel.write(view);
                }
            } catch (IOException e) {
                if (data.isMapped() && isBadAddress(e)) {
                    sourceUnreadable(block.file(), e); // the kernel could not read the source's mapped pages
                    return;
                }
                throw e;
            }
            stats.written(destIndex, length);
            if (data.isMapped() && hashesFor(block.file())) {
                writtenHash.add(temp, block.offset(), length);
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
        Path finalPath = block.destinationPath(destIndex);
        java.util.Optional<Path> link = guard.symlinkOnTheWayTo(finalPath);
        if (link.isPresent()) {
            throw new IOException("the destination directory " + link.get() + " is a symlink; not writing through it");
        }
        temp = TempName.forFinal(finalPath);
        tempsInFlight.add(destIndex, current);
        try {
            channel = tempOpener.open(temp);
        } catch (NoSuchFileException e) {
            Files.createDirectories(temp.getParent());
            channel = tempOpener.open(temp);
        }
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
            channel.force(false);
            bytesSinceFlush = 0;
        }
    }

    private void finish(Block block) throws IOException, InterruptedException {
        if (fsync) {
            channel.force(true);
        }
        channel.close();
        channel = null;
        String hash = block.fileHash().isPresent() ? block.fileHash().get()
                : hashesFor(block.file()) ? writtenHash.finish() : "";
        if (verify) {
            String reread = FileDigest.hash(temp, algorithm);
            if (!reread.equals(hash)) {
                throw new IOException("verification failed: temp file " + temp + " hashes to " + reread
                        + " but " + hash + " was read from the source");
            }
        }
        // Last, after every read of the temp file: setting the times changes its ctime, and under relatime a read
        // after that would move the atime just applied to the time of the copy.
        timestamps.apply(temp, block.sourceMetadata());
        events.put(new PipelineEvent.Prepared(block.file(), destIndex, temp, hash));
        reported = current;
        current = null;
        temp = null;
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
        String change = SourceReader.changeDuringRead(file, file.seen().sizeBytes());
        String reason = change.isEmpty() ? "read error (mapped source): " + SourceReader.describe(e) : change;
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

    /** Closes and deletes the temp file of the file in progress, if any. */
    private void discardTemp() {
        writtenHash.discard();
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the file is deleted next; a close error changes nothing
            }
            channel = null;
        }
        if (temp != null) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // a leftover temp file is swept by the next scan
            }
            temp = null;
            tempsInFlight.remove(destIndex, current);
        }
        current = null;
    }

    private String describe(Exception e, Block block) {
        String what = e instanceof IOException io ? SourceReader.describe(io) : e.toString();
        return destinationName(destIndex) + ": cannot write " + block.destinationPath(destIndex) + ": " + what;
    }

    /** How messages name destination {@code destIndex}: as the command line does, DEST or DEST2. */
    static String destinationName(int destIndex) {
        return destIndex == 0 ? "DEST" : "DEST2";
    }
}
