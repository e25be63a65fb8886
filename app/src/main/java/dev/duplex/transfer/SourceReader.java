package dev.duplex.transfer;

import dev.duplex.backlog.FileMetadata;
import dev.duplex.backlog.FileRow;
import dev.duplex.report.HumanUnits;
import dev.duplex.report.TransferStats;
import dev.duplex.scan.EntryKind;
import dev.duplex.scan.MetadataReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;

/**
 * The producer (seed 001 §2.4): reads each pending file from the backlog in blocks, hashing as it reads, and puts
 * every block on each writer's queue. A file is checked before it is read (still a file? stable long enough?) and
 * after (same size and mtime as before?); a file that moved during the read is aborted, never committed.
 * Runs on its own thread; ends by putting {@link Block#END} on every queue, whatever happens.
 */
final class SourceReader implements Callable<Long> {
    private final Iterator<FileRow> rows;
    private final List<BlockingQueue<Block>> writerQueues;
    private final BlockingQueue<PipelineEvent> events;
    private final BufferPool pool;
    private final HashAlgorithm algorithm;
    private final BandwidthLimiter limiter;
    private final TransferStats stats;
    private final Clock clock;
    private final Duration stableFor;
    private final int blockSizeBytes;
    private final RetryPolicy retry;
    private final SourceOpener opener;

    /** Opens source files; a seam so tests can inject read failures. */
    interface SourceOpener {
        FileChannel open(java.nio.file.Path path) throws IOException;

        SourceOpener DEFAULT = p -> FileChannel.open(p, StandardOpenOption.READ);
    }

    SourceReader(Iterator<FileRow> rows, List<BlockingQueue<Block>> writerQueues,
                 BlockingQueue<PipelineEvent> events, BufferPool pool, HashAlgorithm algorithm,
                 BandwidthLimiter limiter, TransferStats stats, Clock clock, Duration stableFor, int blockSizeBytes,
                 RetryPolicy retry, SourceOpener opener) {
        this.rows = rows;
        this.writerQueues = writerQueues;
        this.events = events;
        this.pool = pool;
        this.algorithm = algorithm;
        this.limiter = limiter;
        this.stats = stats;
        this.clock = clock;
        this.stableFor = stableFor;
        this.blockSizeBytes = blockSizeBytes;
        this.retry = retry;
        this.opener = opener;
    }

    /** Reads every pending file; returns how many were started. */
    @Override
    public Long call() throws InterruptedException {
        long started = 0;
        try {
            while (rows.hasNext()) {
                if (readFile(new FileTicket(rows.next()))) {
                    started++;
                }
            }
            return started;
        } finally {
            stats.clearCurrentFile();
            for (BlockingQueue<Block> q : writerQueues) {
                if (Thread.currentThread().isInterrupted()) {
                    q.offer(Block.END);
                } else {
                    q.put(Block.END);
                }
            }
        }
    }

    /** Reads one file into the queues; false when it was not started (failed to open, or deferred). */
    private boolean readFile(FileTicket ticket) throws InterruptedException {
        MetadataReader.Stat before;
        try {
            before = MetadataReader.stat(ticket.sourcePath());
        } catch (NoSuchFileException e) {
            return notStarted(ticket, PipelineEvent.Why.VANISHED, "vanished: no longer in the source");
        } catch (IOException e) {
            return notStarted(ticket, PipelineEvent.Why.FAILED, "cannot read source: " + describe(e));
        }
        if (before.kind() != EntryKind.FILE) {
            return notStarted(ticket, PipelineEvent.Why.FAILED, "no longer a regular file in the source");
        }
        FileMetadata seen = before.metadata();
        Duration age = Duration.between(seen.modified(), clock.instant());
        if (!stableFor.isZero() && age.compareTo(stableFor) < 0) {
            return notStarted(ticket, PipelineEvent.Why.DEFERRED, "modified " + HumanUnits.duration(age.isNegative() ? Duration.ZERO : age)
                    + " ago, less than --stable-for " + HumanUnits.duration(stableFor));
        }
        FileChannel channel;
        try {
            channel = openWithRetries(ticket);
        } catch (NoSuchFileException e) {
            return notStarted(ticket, PipelineEvent.Why.VANISHED, "vanished: no longer in the source");
        } catch (IOException e) {
            return notStarted(ticket, PipelineEvent.Why.FAILED, "cannot open source: " + describe(e)
                    + (retry.retries() > 0 ? " (after " + retry.retries() + " retries)" : ""));
        }
        ticket.seen(seen);
        stats.startFile(ticket.row().sourcePath().toString(), seen.sizeBytes());
        try (channel) {
            stream(ticket, channel, seen);
        } catch (IOException e) {
            send(ticket, Block.abort(ticket, "read error: " + describe(e)));
        }
        return true;
    }

    /**
     * Opens the source, retrying transient failures (a file locked by its writer, a share that hiccups) with
     * exponential backoff. A file that does not exist is not retried: it is gone.
     */
    private FileChannel openWithRetries(FileTicket ticket) throws IOException, InterruptedException {
        Duration wait = retry.firstWait();
        for (int attempt = 0; ; attempt++) {
            try {
                return opener.open(ticket.sourcePath());
            } catch (NoSuchFileException e) {
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

    private void stream(FileTicket ticket, FileChannel channel, FileMetadata seen)
            throws IOException, InterruptedException {
        HashAlgorithm.FileHasher hasher = algorithm.newHasher();
        long offset = 0;
        while (true) {
            if (ticket.cancelReason().isPresent()) {
                send(ticket, Block.abort(ticket, ticket.cancelReason().get()));
                return;
            }
            ByteBuffer buffer = pool.acquire();
            boolean eof;
            try {
                eof = fill(channel, buffer);
            } catch (IOException | RuntimeException e) {
                pool.release(buffer);
                throw e;
            }
            buffer.flip();
            hasher.update(buffer.duplicate());
            SharedBuffer shared = new SharedBuffer(buffer, pool, ticket.row().targets().size());
            if (!eof) {
                send(ticket, Block.data(ticket, shared, offset));
                offset += shared.length();
                continue;
            }
            long total = offset + shared.length();
            String change = changeDuringRead(ticket, seen, total);
            if (!change.isEmpty()) {
                pool.release(buffer);
                ticket.markSourceChanged();
                send(ticket, Block.abort(ticket, change));
                return;
            }
            send(ticket, Block.last(ticket, shared, offset, hasher.finishHex()));
            return;
        }
    }

    /** Fills the buffer from the channel, paced by the limiter; true at end of file. */
    private boolean fill(FileChannel channel, ByteBuffer buffer) throws IOException {
        int chunk = limiter.chunkBytes(blockSizeBytes);
        while (buffer.hasRemaining()) {
            int want = Math.min(chunk, buffer.remaining());
            limiter.acquire(want);
            int limit = buffer.limit();
            buffer.limit(buffer.position() + want);
            int n;
            try {
                n = channel.read(buffer);
            } finally {
                buffer.limit(limit);
            }
            if (n < 0) {
                return true;
            }
            stats.read(n);
        }
        return false;
    }

    /** "" when the file is as it was when opened; otherwise why it must not be committed. */
    private String changeDuringRead(FileTicket ticket, FileMetadata seen, long bytesRead) {
        try {
            FileMetadata after = MetadataReader.stat(ticket.sourcePath()).metadata();
            if (!after.sameVersionAs(seen) || bytesRead != seen.sizeBytes()) {
                return "source changed while it was being copied (size or mtime moved); it stays pending";
            }
            return "";
        } catch (IOException e) {
            return "source vanished or became unreadable while it was being copied: " + describe(e);
        }
    }

    private boolean notStarted(FileTicket ticket, PipelineEvent.Why why, String reason) throws InterruptedException {
        events.put(new PipelineEvent.NotStarted(ticket, why, reason));
        return false;
    }

    /** Puts the block on the queue of each destination that needs the file; a slow one stalls only its queue. */
    private void send(FileTicket ticket, Block block) throws InterruptedException {
        for (int i : ticket.row().targets()) {
            writerQueues.get(i).put(block);
        }
    }

    static String describe(IOException e) {
        if (e instanceof FileSystemException fse) {
            String reason = fse.getReason() == null ? e.getClass().getSimpleName() : fse.getReason();
            return reason;
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

}
