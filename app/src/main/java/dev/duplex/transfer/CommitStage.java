package dev.duplex.transfer;

import dev.duplex.commit.SidecarWriter;
import dev.duplex.commit.TempName;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;

/**
 * Collects each file's results from the writers that needed it, then commits it everywhere or nowhere:
 * any failure before the renames removes every temp file; with more than one rename the file is recorded as
 * prepared first, and a rename failure after the first success leaves it prepared for the next run to roll
 * forward (there is no transaction across two shares). Runs on the job thread.
 */
final class CommitStage {
    /** Renames a temp file to its final name; a seam for fault-injection tests. */
    @FunctionalInterface
    interface Renamer {
        void rename(Path temp, Path finalPath) throws IOException;

        Renamer DEFAULT = (temp, finalPath) -> {
            try {
                Files.move(temp, finalPath, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, finalPath, StandardCopyOption.REPLACE_EXISTING);
            }
        };
    }

    private final int writers;
    private final CommitSink sink;
    private final Renamer renamer;
    private final Optional<HashAlgorithm> sidecar;
    private final Map<FileTicket, List<PipelineEvent>> waiting = new HashMap<>();

    CommitStage(int writers, CommitSink sink, Renamer renamer, Optional<HashAlgorithm> sidecar) {
        this.writers = writers;
        this.sink = sink;
        this.renamer = renamer;
        this.sidecar = sidecar;
    }

    /** Handles events until every writer has finished. */
    void drain(BlockingQueue<PipelineEvent> events) throws InterruptedException {
        int finished = 0;
        while (finished < writers) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("transfer stopped"); // a stop request: commit nothing more
            }
            PipelineEvent e = events.poll();
            if (e == null) {
                sink.idle();
                e = events.take();
            }
            if (e instanceof PipelineEvent.WriterFinished f) {
                if (f.died().isPresent()) {
                    throw new IllegalStateException("a writer for " + DestinationWriter.destinationName(f.destIndex())
                            + " stopped: " + f.died().get(), f.died().get());
                }
                finished++;
            } else if (e instanceof PipelineEvent.NotStarted ns) {
                notStarted(ns);
            } else if (e instanceof PipelineEvent.Prepared p) {
                collect(p.file(), e);
            } else if (e instanceof PipelineEvent.WriteFailed f) {
                collect(f.file(), e);
            }
        }
        sink.idle();
    }

    /**
     * The run is stopping: removes the temp files of every file prepared by a writer but not committed, both those
     * waiting for the other destination and those still in the queue. Call after the workers have ended.
     */
    void abandon(BlockingQueue<PipelineEvent> events) {
        List<PipelineEvent> left = new ArrayList<>();
        events.drainTo(left);
        waiting.values().forEach(left::addAll);
        waiting.clear();
        for (PipelineEvent e : left) {
            if (e instanceof PipelineEvent.Prepared p) {
                deleteQuietly(p.tempPath());
            }
        }
    }

    private void notStarted(PipelineEvent.NotStarted ns) {
        for (int i : ns.file().row().targets()) {
            deleteQuietly(TempName.forFinal(ns.file().destinationPath(i))); // from an interrupted run
        }
        switch (ns.why()) {
            case DEFERRED -> sink.deferred(ns.file(), ns.reason());
            case VANISHED -> sink.vanished(ns.file());
            case FAILED -> sink.failed(ns.file(), CommitSink.Side.SOURCE, ns.reason());
        }
    }

    private void collect(FileTicket file, PipelineEvent result) {
        List<PipelineEvent> results = waiting.computeIfAbsent(file, f -> new ArrayList<>(writers));
        results.add(result);
        if (results.size() == file.row().targets().size()) {
            waiting.remove(file);
            resolve(file, results);
        }
    }

    private void resolve(FileTicket file, List<PipelineEvent> results) {
        List<PipelineEvent.Prepared> prepared = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        CommitSink.Side side = CommitSink.Side.SOURCE;
        for (PipelineEvent r : results) {
            if (r instanceof PipelineEvent.Prepared p) {
                prepared.add(p);
            } else if (r instanceof PipelineEvent.WriteFailed f) {
                failures.add(f.reason());
                side = f.destinationFault() ? CommitSink.Side.DESTINATION : side;
            }
        }
        if (!failures.isEmpty()) {
            prepared.forEach(p -> deleteQuietly(p.tempPath()));
            String reason = String.join("; ", failures.stream().distinct().toList());
            if (file.isSourceChanged()) {
                sink.deferred(file, reason);
            } else {
                sink.failed(file, side, reason);
            }
            return;
        }
        if (file.isMapped() && !SourceReader.changeDuringRead(file, file.seen().sizeBytes()).isEmpty()) {
            // the writers copied the live pages of a mapped source; a change until they were done is caught here
            prepared.forEach(p -> deleteQuietly(p.tempPath()));
            file.markSourceChanged();
            sink.deferred(file, SourceReader.SOURCE_CHANGED);
            return;
        }
        prepared.sort(java.util.Comparator.comparingInt(PipelineEvent.Prepared::destIndex)); // DEST, then DEST2
        String hash = prepared.get(0).hash();
        if (prepared.size() > 1) {
            sink.prepared(file, hash);
        }
        int renamed = 0;
        for (PipelineEvent.Prepared p : prepared) {
            Path finalPath = file.destinationPath(p.destIndex());
            try {
                renamer.rename(p.tempPath(), finalPath);
                renamed++;
            } catch (IOException e) {
                String why = "cannot rename " + p.tempPath() + " to " + finalPath + ": " + SourceReader.describe(e);
                if (renamed == 0) {
                    prepared.forEach(q -> deleteQuietly(q.tempPath()));
                    sink.failed(file, CommitSink.Side.DESTINATION, why);
                } else {
                    sink.partiallyCommitted(file, why + " (the other destination has it; the next run completes it)");
                }
                return;
            }
        }
        sidecar.ifPresent(algo -> writeSidecars(file, prepared, algo, hash));
        sink.synced(file, hash);
    }

    private void writeSidecars(FileTicket file, List<PipelineEvent.Prepared> prepared, HashAlgorithm algo,
                               String hash) {
        for (PipelineEvent.Prepared p : prepared) {
            try {
                SidecarWriter.write(file.destinationPath(p.destIndex()), algo.cliName(), hash);
            } catch (IOException e) {
                // the file itself is committed; a missing sidecar is rewritten when the file is next copied
                org.slf4j.LoggerFactory.getLogger(CommitStage.class).warn("cannot write the sidecar of {}: {}",
                        file.destinationPath(p.destIndex()), e.toString());
            }
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // swept by the next scan
        }
    }
}
