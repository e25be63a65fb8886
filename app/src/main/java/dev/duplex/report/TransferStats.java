package dev.duplex.report;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The run's counters, written by the scan, reader, writer and commit threads and read by the progress printer
 * on its tick. All methods are thread-safe and never block.
 */
public final class TransferStats {
    private final LongAdder sourceFilesScanned = new LongAdder();
    private final LongAdder sourceBytesScanned = new LongAdder();
    private final LongAdder destFilesScanned = new LongAdder();
    private final LongAdder pendingFilesFound = new LongAdder();
    private final LongAdder pendingBytesFound = new LongAdder();
    private final AtomicLong backlogFiles = new AtomicLong();
    private final AtomicLong backlogBytes = new AtomicLong();
    private final AtomicLong syncedBytesBeforeRun = new AtomicLong();
    private final LongAdder bytesRead = new LongAdder();
    private final LongAdder bytesCommitted = new LongAdder();
    private final LongAdder filesCopied = new LongAdder();
    private final LongAdder filesSkipped = new LongAdder();
    private final LongAdder filesFailed = new LongAdder();
    private final LongAdder filesDeferred = new LongAdder();
    private final LongAdder filesDeleted = new LongAdder();
    private final LongAdder filesVanished = new LongAdder();
    private final LongAdder linksMade = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private volatile java.util.List<java.util.function.IntSupplier> queueDepths = java.util.List.of();
    private final LongAdder[] bytesWritten = {new LongAdder(), new LongAdder()};
    private volatile CurrentFile currentFile;

    /** The file the reader is on: its name, size, and how far it has been read. */
    public record CurrentFile(String displayName, long sizeBytes, AtomicLong bytesDone) {}

    public void sourceFileScanned(long sizeBytes) {
        sourceFilesScanned.increment();
        sourceBytesScanned.add(sizeBytes);
    }

    public void destFileScanned() {
        destFilesScanned.increment();
    }

    /** The scan found a file that needs copying. */
    public void pendingFound(long sizeBytes) {
        pendingFilesFound.increment();
        pendingBytesFound.add(sizeBytes);
    }

    /** Sets what the transfer phase has to do: pending files and bytes, and what was synced before this run. */
    public void backlog(long files, long bytes, long alreadySyncedBytes) {
        backlogFiles.set(files);
        backlogBytes.set(bytes);
        syncedBytesBeforeRun.set(alreadySyncedBytes);
    }

    public void skipped(long files) {
        filesSkipped.add(files);
    }

    public void startFile(String displayName, long sizeBytes) {
        currentFile = new CurrentFile(displayName, sizeBytes, new AtomicLong());
    }

    public void clearCurrentFile() {
        currentFile = null;
    }

    /** Called by the reader after each read from the source. */
    public void read(long bytes) {
        bytesRead.add(bytes);
        CurrentFile c = currentFile;
        if (c != null) {
            c.bytesDone().addAndGet(bytes);
        }
    }

    public void written(int destinationIndex, long bytes) {
        bytesWritten[destinationIndex].add(bytes);
    }

    public void copied(long sizeBytes) {
        filesCopied.increment();
        bytesCommitted.add(sizeBytes);
    }

    public void failed() {
        filesFailed.increment();
    }

    public void deferred() {
        filesDeferred.increment();
    }

    public void linkMade() {
        linksMade.increment();
    }

    public void vanished() {
        filesVanished.increment();
    }

    public void deleted() {
        filesDeleted.increment();
    }

    public void retried() {
        retries.increment();
    }

    /** The pipeline registers one depth gauge per destination queue while it runs. */
    public void queueDepths(java.util.List<java.util.function.IntSupplier> depths) {
        queueDepths = java.util.List.copyOf(depths);
    }

    public Snapshot snapshot() {
        return new Snapshot(sourceFilesScanned.sum(), sourceBytesScanned.sum(), destFilesScanned.sum(),
                pendingFilesFound.sum(), pendingBytesFound.sum(),
                backlogFiles.get(), backlogBytes.get(), syncedBytesBeforeRun.get(), bytesRead.sum(),
                bytesCommitted.sum(), bytesWritten[0].sum(), bytesWritten[1].sum(), filesCopied.sum(),
                filesSkipped.sum(), filesFailed.sum(), filesDeferred.sum(), filesDeleted.sum(), filesVanished.sum(), linksMade.sum(),
                retries.sum(),
                queueDepths.stream().mapToInt(java.util.function.IntSupplier::getAsInt).toArray(),
                Optional.ofNullable(currentFile));
    }

    /** A consistent-enough copy of the counters at one moment. */
    public record Snapshot(
            long sourceFilesScanned,
            long sourceBytesScanned,
            long destFilesScanned,
            long pendingFilesFound,
            long pendingBytesFound,
            long backlogFiles,
            long backlogBytes,
            long syncedBytesBeforeRun,
            long bytesRead,
            long bytesCommitted,
            long bytesWrittenDest1,
            long bytesWrittenDest2,
            long filesCopied,
            long filesSkipped,
            long filesFailed,
            long filesDeferred,
            long filesDeleted,
            long filesVanished,
            long linksMade,
            long retries,
            int[] queueDepths,
            Optional<CurrentFile> currentFile) {}
}
