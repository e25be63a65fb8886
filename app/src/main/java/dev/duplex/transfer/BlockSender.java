package dev.duplex.transfer;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.function.Supplier;

/** How a reader hands a file on: its blocks to the writers that need it, or why it was not started. Reader thread. */
final class BlockSender {
    private final List<BlockingQueue<Block>> writerQueues;
    private final BlockingQueue<PipelineEvent> events;

    BlockSender(List<BlockingQueue<Block>> writerQueues, BlockingQueue<PipelineEvent> events) {
        this.writerQueues = writerQueues;
        this.events = events;
    }

    /** Puts the block on the queue of each destination that needs the file; a slow one stalls only its queue. */
    void send(FileTicket ticket, Block block) throws InterruptedException {
        for (int i : ticket.row().targets()) {
            writerQueues.get(i).put(block);
        }
    }

    /**
     * Ends a large file: its last block goes to the writers, or, when the source changed during the copy
     * ({@code change} not empty), the file is aborted and the writers' references to the unsent block given back.
     */
    void sendLastUnlessChanged(FileTicket ticket, SharedBuffer lastBlock, int writers, String change,
                               Supplier<Block> last) throws InterruptedException {
        if (change.isEmpty()) {
            send(ticket, last.get());
            return;
        }
        for (int i = 0; i < writers; i++) {
            lastBlock.release();
        }
        abortChanged(ticket, change);
    }

    /** The source moved during its copy: not a failure, the file stays pending; the writers drop what they have. */
    void abortChanged(FileTicket ticket, String change) throws InterruptedException {
        ticket.markSourceChanged();
        send(ticket, Block.abort(ticket, change));
    }

    /** The file was not started (vanished, failed to open, deferred); always false. */
    boolean notStarted(FileTicket ticket, PipelineEvent.Why why, String reason) throws InterruptedException {
        events.put(new PipelineEvent.NotStarted(ticket, why, reason));
        return false;
    }
}
