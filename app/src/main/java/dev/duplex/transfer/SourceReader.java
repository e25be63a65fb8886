package dev.duplex.transfer;

import dev.duplex.digest.HashAlgorithm;
import dev.duplex.tree.FileMetadata;
import dev.duplex.backlog.FileRow;
import dev.duplex.report.HumanUnits;
import dev.duplex.report.TransferStats;
import dev.duplex.tree.Entry;
import dev.duplex.tree.NotARegularFileException;
import dev.duplex.tree.Roots;
import dev.duplex.tree.SourceFile;
import dev.duplex.tree.Tree;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;

/**
 * The producer (seed 001 §2.4): reads each pending file from the backlog in blocks and puts every block on each
 * writer's queue; the checksum is computed from the same bytes as they stream (a small file's here, a large file's
 * on the {@link BlockHasher} thread, so reading and hashing overlap). A file is checked before it is read (still a
 * file? stable long enough?) and after (same size and mtime as before?); a file that moved during the read is
 * aborted, never committed. Runs on its own thread; ends by putting {@link Block#END} on every queue, whatever
 * happens.
 */
final class SourceReader implements Callable<Long> {
    private final FileDispenser rows;
    private final List<BlockingQueue<Block>> writerQueues;
    private final BufferPool blocks;
    private final BufferPool smallBuffers;
    private final BlockHasher blockHasher;
    private final HashAlgorithm.FileHasher smallFileHasher;
    private final HashAlgorithm algorithm;
    private final BandwidthLimiter limiter;
    private final TransferStats stats;
    private final Clock clock;
    private final Duration stableFor;
    private final int blockSizeBytes;
    private final RetryPolicy retry;
    private final Roots roots;
    private final SourceAccess access;
    private final BlockSender sender;
    private final MappedReader mappedReader;

    SourceReader(FileDispenser rows, List<BlockingQueue<Block>> writerQueues,
                 BlockingQueue<PipelineEvent> events, BufferPool blocks, BufferPool smallBuffers,
                 BlockHasher blockHasher, HashAlgorithm algorithm,
                 BandwidthLimiter limiter, TransferStats stats, Clock clock, Duration stableFor, int blockSizeBytes,
                 RetryPolicy retry, Roots roots, SourceAccess access, MappedBlocks mappedBlocks) {
        this.rows = rows;
        this.writerQueues = writerQueues;
        this.blocks = blocks;
        this.smallBuffers = smallBuffers;
        this.blockHasher = blockHasher;
        this.smallFileHasher = algorithm.newHasher();
        this.algorithm = algorithm;
        this.limiter = limiter;
        this.stats = stats;
        this.clock = clock;
        this.stableFor = stableFor;
        this.blockSizeBytes = blockSizeBytes;
        this.retry = retry;
        this.roots = roots;
        this.access = access;
        this.sender = new BlockSender(writerQueues, events);
        this.mappedReader = new MappedReader(mappedBlocks, sender, stats, blockSizeBytes);
    }

    /** Reads every pending file; returns how many were started. */
    @Override
    public Long call() throws InterruptedException {
        long started = 0;
        try {
            for (Optional<FileRow> row = rows.take(); row.isPresent(); row = rows.take()) {
                if (readFile(new FileTicket(row.get(), roots))) {
                    started++;
                }
            }
            return started;
        } catch (InterruptedException e) {
            // keep the stop request: the END blocks below must not block on a queue nobody takes from any more
            Thread.currentThread().interrupt();
            throw e;
        } finally {
            for (BlockingQueue<Block> q : writerQueues) {
                if (Thread.currentThread().isInterrupted()) {
                    q.offer(Block.END);
                } else {
                    q.put(Block.END);
                }
            }
        }
    }

    /** What the open file's source sent ahead and was paid for at its open (reader thread only). */
    private PacedReads.Credit credit = new PacedReads.Credit();

    /** Reads one file into the queues; false when it was not started (failed to open, or deferred). */
    private boolean readFile(FileTicket ticket) throws InterruptedException {
        SourceFile file;
        try {
            file = openWithRetries(ticket);
        } catch (NoSuchFileException e) {
            return sender.notStarted(ticket, PipelineEvent.Why.VANISHED, "vanished: no longer in the source");
        } catch (NotARegularFileException e) {
            return sender.notStarted(ticket, PipelineEvent.Why.FAILED, "no longer a regular file in the source");
        } catch (IOException e) {
            return sender.notStarted(ticket, PipelineEvent.Why.FAILED, "cannot open source: " + SourceChecks.describe(e)
                    + (retry.retries() > 0 ? " (after " + retry.retries() + " retries)" : ""));
        }
        try (file) {
            credit = PacedReads.Credit.prepay(limiter, file.prefetchBytes());
            FileMetadata seen = currentVersion(ticket, file);
            Duration age = Duration.between(SourceChecks.lastChange(seen), clock.instant());
            if (!stableFor.isZero() && age.compareTo(stableFor) < 0) {
                return sender.notStarted(ticket, PipelineEvent.Why.DEFERRED, "changed "
                        + HumanUnits.duration(age.isNegative() ? Duration.ZERO : age) + " ago, less than --stable-for "
                        + HumanUnits.duration(stableFor));
            }
            ticket.seen(seen);
            stats.startFile(ticket.sourceName(), seen.sizeBytes());
            if (seen.sizeBytes() <= smallBuffers.bufferBytes()) {
                readSmall(ticket, file, seen);
            } else {
                rows.beginLargeFile();
                try {
                    if (access == SourceAccess.MAP && file.channel().isPresent()) {
                        mappedReader.read(ticket, file, seen, () -> stream(ticket, file, seen));
                    } else {
                        stream(ticket, file, seen);
                    }
                } finally {
                    rows.endLargeFile();
                }
            }
        } catch (IOException e) {
            sender.send(ticket, Block.abort(ticket, "read error: " + SourceChecks.describe(e)));
        }
        return true;
    }

    /**
     * The file's metadata now. Opened with the cheap stat (no --stable-for): when size and mtime are still what the
     * scan recorded, the scan's full metadata (ctime, mode) is kept; otherwise it is read again in full.
     */
    private FileMetadata currentVersion(FileTicket ticket, SourceFile file) throws IOException {
        FileMetadata opened = file.metadata();
        if (!stableFor.isZero()) {
            return opened; // opened with the full stat
        }
        FileMetadata scanned = ticket.row().metadata();
        if (opened.sameVersionAs(scanned)) {
            return scanned;
        }
        return roots.source().stat(ticket.path(), Tree.Detail.FULL).map(Entry::metadata).orElse(opened);
    }

    /**
     * Opens the source, retrying transient failures (a file locked by its writer, a share that hiccups) with
     * exponential backoff. A file that does not exist, or is no longer a regular file, is not retried.
     */
    private SourceFile openWithRetries(FileTicket ticket) throws IOException, InterruptedException {
        Duration wait = retry.firstWait();
        Tree.Detail detail = stableFor.isZero() ? Tree.Detail.BASIC : Tree.Detail.FULL;
        for (int attempt = 0; ; attempt++) {
            try {
                return roots.source().openRead(ticket.path(), detail);
            } catch (NoSuchFileException | NotARegularFileException e) {
                throw e;
            } catch (IOException e) {
                if (attempt >= retry.retries()) {
                    throw e;
                }
                stats.retried();
                retry.sleeper().sleep(wait);
                wait = wait.multipliedBy(2);
            }
        }
    }

    /**
     * A file that fits one small buffer: read whole, hashed on this thread, sent as one last block. It reads no
     * further than the size it expects, so a file of that size costs no read that only returns end of file; the
     * size and mtime check after the read catches a file that grew.
     */
    private void readSmall(FileTicket ticket, SourceFile file, FileMetadata seen)
            throws IOException, InterruptedException {
        ByteBuffer buffer = smallBuffers.acquire();
        int n;
        try {
            buffer.limit((int) seen.sizeBytes());
            n = fill(file, buffer);
        } catch (IOException | RuntimeException e) {
            smallBuffers.release(buffer);
            throw e;
        }
        buffer.flip();
        String change = SourceChecks.changeDuringRead(ticket, file, n);
        if (!change.isEmpty()) {
            smallBuffers.release(buffer);
            sender.abortChanged(ticket, change);
            return;
        }
        smallFileHasher.update(buffer.duplicate()); // one reused hasher: finishHex() resets it for the next file
        String hash;
        try {
            hash = SourceChecks.sameAsSent(ticket, file, smallFileHasher.finishHex());
        } catch (IOException e) {
            smallBuffers.release(buffer);
            throw e;
        }
        sender.send(ticket, Block.last(ticket, new SharedBuffer(buffer, smallBuffers, ticket.row().targets().size()), 0,
                hash));
    }

    /**
     * A large file, block by block: each block goes to the writers as soon as it is read and to the hasher thread
     * at the same time; the last block (the one that reaches the expected size, or end of file) waits for the hash
     * and for the size and mtime check.
     */
    private void stream(FileTicket ticket, SourceFile file, FileMetadata seen)
            throws IOException, InterruptedException {
        HashAlgorithm.FileHasher hasher = algorithm.newHasher();
        int writers = ticket.row().targets().size();
        long offset = 0;
        try {
            while (true) {
                if (ticket.cancelReason().isPresent()) {
                    sender.send(ticket, Block.abort(ticket, ticket.cancelReason().get()));
                    return;
                }
                ByteBuffer buffer = blocks.acquire();
                int want = (int) Math.min(buffer.capacity(), seen.sizeBytes() - offset);
                int n;
                try {
                    buffer.limit(want);
                    n = fill(file, buffer);
                } catch (IOException | RuntimeException e) {
                    blocks.release(buffer);
                    throw e;
                }
                buffer.flip();
                SharedBuffer shared = new SharedBuffer(buffer, blocks, writers + 1);
                blockHasher.update(hasher, shared);
                if (offset + n < seen.sizeBytes() && n == want) {
                    sender.send(ticket, Block.data(ticket, shared, offset));
                    offset += n;
                    continue;
                }
                blockHasher.await();
                long at = offset;
                String change = SourceChecks.changeDuringRead(ticket, file, offset + n);
                String hash = hasher.finishHex();
                if (change.isEmpty() && !hash.equals(SourceChecks.sameAsSentOrEmpty(file, hash))) {
                    change = SourceChecks.damaged(ticket, file, hash);
                }
                sender.sendLastUnlessChanged(ticket, shared, writers, change, () -> Block.last(ticket, shared, at, hash));
                return;
            }
        } finally {
            blockHasher.await(); // every block handed to the hasher is released before the next file
        }
    }

    /** Fills the buffer up to its limit, paced by the limiter; returns the bytes read (fewer at end of file). */
    private int fill(SourceFile file, ByteBuffer buffer) throws IOException {
        return PacedReads.fill(file, buffer, limiter, limiter.chunkBytes(blockSizeBytes), stats::read, credit);
    }
}
