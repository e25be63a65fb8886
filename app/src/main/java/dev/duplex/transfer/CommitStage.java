package dev.duplex.transfer;

import dev.duplex.commit.Companions;
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
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CommitStage.class);

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
    private final Companions companions;
    private final HashAlgorithm algorithm;
    private final Map<FileTicket, List<PipelineEvent>> waiting = new HashMap<>();
    private final FileDispenser dispenser;
    private final TempsInFlight tempsInFlight;
    private final java.util.Set<java.nio.file.Path> triedAlone = new java.util.HashSet<>();

    /**
     * @param dispenser told when each file has settled, or is to be tried again alone
     * @param tempsInFlight forgets a temp file once this stage has renamed or deleted it
     */
    CommitStage(int writers, CommitSink sink, Renamer renamer, HashAlgorithm algorithm,
                Optional<HashAlgorithm> sidecar, Optional<String> readySuffix, FileDispenser dispenser,
                TempsInFlight tempsInFlight) {
        this.writers = writers;
        this.dispenser = dispenser;
        this.tempsInFlight = tempsInFlight;
        this.algorithm = algorithm;
        this.sink = sink;
        this.renamer = renamer;
        this.companions = new Companions(sidecar.map(HashAlgorithm::cliName), readySuffix);
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
                discard(p);
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
        dispenser.settled();
    }

    private void collect(FileTicket file, PipelineEvent result) {
        List<PipelineEvent> results = waiting.computeIfAbsent(file, f -> new ArrayList<>(writers));
        results.add(result);
        if (results.size() == file.row().targets().size()) {
            waiting.remove(file);
            if (isSpaceContended(file, results)) {
                results.forEach(r -> {
                    if (r instanceof PipelineEvent.Prepared p) {
                        discard(p);
                    }
                });
                forgetTemps(file);
                triedAlone.add(file.sourcePath());
                LOG.info("{}: no space on a destination while other files were being written there; trying it "
                        + "again alone once the others are done", file.sourcePath());
                dispenser.tryAloneLater(file.row());
                return;
            }
            resolve(file, results);
            forgetTemps(file); // renamed, deleted, or (a partial commit) left for the next run to complete
            dispenser.settled();
        }
    }

    private static List<Path> finalPaths(FileTicket file, List<PipelineEvent.Prepared> prepared) {
        return prepared.stream().map(p -> file.destinationPath(p.destIndex())).toList();
    }

    private void forgetTemps(FileTicket file) {
        for (int i : file.row().targets()) {
            tempsInFlight.remove(i, file);
        }
    }

    /** Deletes a prepared temp file that will not be committed. */
    private void discard(PipelineEvent.Prepared p) {
        deleteQuietly(p.tempPath());
    }

    /**
     * The file ran out of space on a destination while another file's temp was there, and failed for no other
     * reason of a destination's: not yet a verdict, unless it was already tried alone.
     */
    private boolean isSpaceContended(FileTicket file, List<PipelineEvent> results) {
        boolean contended = false;
        for (PipelineEvent r : results) {
            if (r instanceof PipelineEvent.WriteFailed f && f.destinationFault()) {
                if (!f.spaceContended()) {
                    return false;
                }
                contended = true;
            }
        }
        return contended && !file.isSourceChanged() && !triedAlone.contains(file.sourcePath());
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
            prepared.forEach(this::discard);
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
            prepared.forEach(this::discard);
            file.markSourceChanged();
            sink.deferred(file, SourceReader.SOURCE_CHANGED);
            return;
        }
        prepared.sort(java.util.Comparator.comparingInt(PipelineEvent.Prepared::destIndex)); // DEST, then DEST2
        String hash = prepared.get(0).hash();
        Optional<String> markerTrouble = companions.removeOldMarkers(finalPaths(file, prepared));
        if (markerTrouble.isPresent()) {
            prepared.forEach(this::discard);
            sink.failed(file, CommitSink.Side.DESTINATION, markerTrouble.get());
            return;
        }
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
                    prepared.forEach(this::discard);
                    sink.failed(file, CommitSink.Side.DESTINATION, why);
                } else {
                    sink.partiallyCommitted(file, why + " (the other destination has it; the next run completes it)");
                }
                return;
            }
        }
        Optional<String> unmarked = companions.writeAfterCommit(finalPaths(file, prepared), file.seen().sizeBytes(),
                file.seen().modified(), algorithm.cliName(), hash);
        if (unmarked.isPresent()) {
            sink.failed(file, CommitSink.Side.DESTINATION, unmarked.get());
            return;
        }
        sink.synced(file, hash);
    }




    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // swept by the next scan
        }
    }
}
