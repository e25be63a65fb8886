package dev.duplex.transfer;

import dev.duplex.report.TransferStats;
import dev.duplex.tree.FileMetadata;
import dev.duplex.tree.SourceFile;
import java.io.IOException;
import java.nio.channels.FileChannel;

/** The reader's way with large files under {@link SourceAccess#MAP}. Reader thread. */
final class MappedReader {
    /** Reads the file the ordinary way instead (it cannot be mapped). */
    interface Fallback {
        void read() throws IOException, InterruptedException;
    }

    private final MappedBlocks mappedBlocks;
    private final BlockSender sender;
    private final TransferStats stats;
    private final int blockSizeBytes;
    private boolean mapFailureLogged;

    MappedReader(MappedBlocks mappedBlocks, BlockSender sender, TransferStats stats, int blockSizeBytes) {
        this.mappedBlocks = mappedBlocks;
        this.sender = sender;
        this.stats = stats;
        this.blockSizeBytes = blockSizeBytes;
    }

    /**
     * A large file, block by block as read-only maps ({@link SourceAccess#MAP}): no read into a buffer, no hashing
     * here. The writers write from the map (the kernel copies the pages; a page past a shrunken end fails that write
     * with EFAULT, never the JVM) and the first destination's writer hashes what it wrote, from its own temp file
     * ({@link WrittenHash}). Since the writers copy the file's live pages, the file is checked again once every
     * writer has it (the commit stage does, for a mapped ticket), and a block past a shrunken end is never mapped.
     * A source that cannot be mapped (a file system without mmap) is read instead.
     */
    void read(FileTicket ticket, SourceFile file, FileMetadata seen, Fallback readInstead)
            throws IOException, InterruptedException {
        FileChannel channel = file.channel().orElseThrow();
        int writers = ticket.row().targets().size();
        long size = seen.sizeBytes();
        long offset = 0;
        while (true) {
            if (ticket.cancelReason().isPresent()) {
                sender.send(ticket, Block.abort(ticket, ticket.cancelReason().get()));
                return;
            }
            int want = (int) Math.min(blockSizeBytes, size - offset);
            if (channel.size() < offset + want) {
                sender.abortChanged(ticket, SourceChecks.SOURCE_CHANGED);
                return;
            }
            SharedBuffer shared;
            try {
                shared = mappedBlocks.map(channel, offset, want, writers);
            } catch (IOException | UnsupportedOperationException e) {
                String change = SourceChecks.changeDuringRead(ticket, file, size); // truncated between the size check and the map?
                if (!change.isEmpty()) {
                    sender.abortChanged(ticket, change);
                    return;
                }
                if (offset > 0) {
                    throw e instanceof IOException io ? io : new IOException(e);
                }
                if (!mapFailureLogged) {
                    mapFailureLogged = true;
                    org.slf4j.LoggerFactory.getLogger(MappedReader.class).info(
                            "cannot map {} ({}); reading it instead", ticket.sourceName(), e.toString());
                }
                readInstead.read();
                return;
            }
            ticket.markMapped();
            stats.read(want);
            if (offset + want < size) {
                sender.send(ticket, Block.data(ticket, shared, offset));
                offset += want;
                continue;
            }
            long at = offset;
            sender.sendLastUnlessChanged(ticket, shared, writers, SourceChecks.changeDuringRead(ticket, file, size),
                    () -> Block.lastOfMap(ticket, shared, at));
            return;
        }
    }
}
