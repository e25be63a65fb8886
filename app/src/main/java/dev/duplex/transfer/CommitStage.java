package dev.duplex.transfer;

import dev.duplex.commit.Companions;
import dev.duplex.digest.HashAlgorithm;
import dev.duplex.tree.Roots;
import dev.duplex.tree.Tree;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Collects each file's results from the writers that needed it, then commits it everywhere or nowhere:
 * any failure before the renames removes every temp file; with more than one rename the file is recorded as
 * prepared first, and a rename failure after the first success leaves it prepared for the next run to roll
 * forward (there is no transaction across two shares). A rename on a remote tree completes later: the file waits
 * for it while others go on. Runs on the job thread.
 */
final class CommitStage {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CommitStage.class);

    private final int writers;
    private final CommitSink sink;
    private final Roots roots;
    private final Companions companions;
    private final HashAlgorithm algorithm;
    private final Map<FileTicket, List<PipelineEvent>> waiting = new HashMap<>();
    private final FileDispenser dispenser;
    private final TempsInFlight tempsInFlight;
    private final Set<dev.duplex.tree.RelPath> triedAlone = new HashSet<>();
    private int committing;

    /**
     * @param dispenser told when each file has settled, or is to be tried again alone
     * @param tempsInFlight forgets a file's temps once this stage has renamed or deleted them
     */
    CommitStage(int writers, CommitSink sink, Roots roots, HashAlgorithm algorithm, Optional<HashAlgorithm> sidecar,
                Optional<String> readySuffix, FileDispenser dispenser, TempsInFlight tempsInFlight) {
        this.writers = writers;
        this.sink = sink;
        this.roots = roots;
        this.algorithm = algorithm;
        this.companions = new Companions(sidecar.map(HashAlgorithm::cliName), readySuffix);
        this.dispenser = dispenser;
        this.tempsInFlight = tempsInFlight;
    }

    /** Handles events until every writer has finished and every rename under way has completed. */
    void drain(BlockingQueue<PipelineEvent> events) throws InterruptedException {
        int finished = 0;
        while (finished < writers || committing > 0) {
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
                collect(p.file(), e, events);
            } else if (e instanceof PipelineEvent.WriteFailed f) {
                collect(f.file(), e, events);
            } else if (e instanceof PipelineEvent.Committed c) {
                committing--;
                renamed(c.commit(), c.failure(), events);
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
            roots.destination(i).abandon(ns.file().path()); // a temp file of an interrupted run
        }
        switch (ns.why()) {
            case DEFERRED -> sink.deferred(ns.file(), ns.reason());
            case VANISHED -> sink.vanished(ns.file());
            case FAILED -> sink.failed(ns.file(), CommitSink.Side.SOURCE, ns.reason());
        }
        dispenser.settled(ns.file().row());
    }

    private void collect(FileTicket file, PipelineEvent result, BlockingQueue<PipelineEvent> events) {
        List<PipelineEvent> results = waiting.computeIfAbsent(file, f -> new ArrayList<>(writers));
        results.add(result);
        if (results.size() < file.row().targets().size()) {
            return;
        }
        waiting.remove(file);
        if (isSpaceContended(file, results)) {
            results.forEach(r -> {
                if (r instanceof PipelineEvent.Prepared p) {
                    discard(p);
                }
            });
            forgetTemps(file);
            triedAlone.add(file.path());
            LOG.info("{}: no space on a destination while other files were being written there; trying it "
                    + "again alone once the others are done", file.sourceName());
            dispenser.tryAloneLater(file.row());
            return;
        }
        resolve(file, results, events);
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
        return contended && !file.isSourceChanged() && !triedAlone.contains(file.path());
    }

    private void resolve(FileTicket file, List<PipelineEvent> results, BlockingQueue<PipelineEvent> events) {
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
            settled(file);
            return;
        }
        if (file.isMapped() && !SourceChecks.changeDuringRead(file, file.seen().sizeBytes()).isEmpty()) {
            // the writers copied the live pages of a mapped source; a change until they were done is caught here
            prepared.forEach(this::discard);
            file.markSourceChanged();
            sink.deferred(file, SourceChecks.SOURCE_CHANGED);
            settled(file);
            return;
        }
        prepared.sort(java.util.Comparator.comparingInt(PipelineEvent.Prepared::destIndex)); // DEST, then DEST2
        Commit commit = new Commit(file, prepared, prepared.get(0).hash());
        Optional<String> markerTrouble = companions.removeOldMarkers(commit.places(roots));
        if (markerTrouble.isPresent()) {
            prepared.forEach(this::discard);
            sink.failed(file, CommitSink.Side.DESTINATION, markerTrouble.get());
            settled(file);
            return;
        }
        boolean mayCommit;
        try {
            mayCommit = sink.beginCommit(file, commit.hash(), prepared.size());
        } catch (RuntimeException e) { // the db failed: the run stops, and these temps are no one's to rename
            prepared.forEach(this::discard);
            throw e;
        }
        if (!mayCommit) {
            prepared.forEach(this::discard);
            sink.lost(file);
            settled(file);
            return;
        }
        renameNext(commit, events);
    }

    /** The renames of one file, DEST first, one after the other (a partial commit must be the last one's). */
    static final class Commit {
        final FileTicket file;
        final List<PipelineEvent.Prepared> prepared;
        final String hash;
        int renamed;

        Commit(FileTicket file, List<PipelineEvent.Prepared> prepared, String hash) {
            this.file = file;
            this.prepared = prepared;
            this.hash = hash;
        }

        String hash() {
            return hash;
        }

        List<Companions.Place> places(Roots roots) {
            return prepared.stream().map(p -> new Companions.Place(roots.destination(p.destIndex()), file.path()))
                    .toList();
        }
    }

    /** Starts the next rename; one that completes at once (a local tree) is handled at once. */
    private void renameNext(Commit c, BlockingQueue<PipelineEvent> events) {
        while (c.renamed < c.prepared.size()) {
            Tree tree = roots.destination(c.prepared.get(c.renamed).destIndex());
            CompletableFuture<Void> f = tree.commit(c.file.path());
            if (!f.isDone()) {
                committing++;
                f.whenComplete((v, e) -> putQuietly(events, new PipelineEvent.Committed(c, Optional.ofNullable(e))));
                return;
            }
            Optional<Throwable> failure = failureOf(f);
            if (failure.isPresent()) {
                renamed(c, failure, events);
                return;
            }
            c.renamed++;
        }
        committed(c);
    }

    /** A rename completed (or failed); the next one starts, or the file is done. */
    private void renamed(Commit c, Optional<Throwable> failure, BlockingQueue<PipelineEvent> events) {
        if (failure.isEmpty()) {
            c.renamed++;
            renameNext(c, events);
            return;
        }
        Throwable cause = failure.get() instanceof CompletionException ce && ce.getCause() != null ? ce.getCause()
                : failure.get();
        int dest = c.prepared.get(c.renamed).destIndex();
        String why = DestinationWriter.destinationName(dest) + ": cannot rename the temp file of "
                + c.file.destinationName(dest) + " into place: "
                + (cause instanceof IOException io ? SourceChecks.describe(io) : cause.toString());
        if (c.renamed == 0) {
            c.prepared.forEach(this::discard);
            sink.failed(c.file, CommitSink.Side.DESTINATION, why);
        } else {
            sink.partiallyCommitted(c.file, why + " (the other destination has it; the next run completes it)");
        }
        settled(c.file);
    }

    private void committed(Commit c) {
        Optional<String> unmarked = companions.writeAfterCommit(c.places(roots), c.file.seen().sizeBytes(),
                c.file.seen().modified(), algorithm.cliName(), c.hash());
        if (unmarked.isPresent()) {
            sink.failed(c.file, CommitSink.Side.DESTINATION, unmarked.get());
        } else {
            sink.synced(c.file, c.hash());
        }
        settled(c.file);
    }

    private static Optional<Throwable> failureOf(CompletableFuture<Void> done) {
        try {
            done.get();
            return Optional.empty();
        } catch (ExecutionException e) {
            return Optional.of(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(e);
        }
    }

    private static void putQuietly(BlockingQueue<PipelineEvent> events, PipelineEvent e) {
        try {
            events.put(e);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The file is done with: its temps are renamed, deleted, or (a partial commit) left for the next run. */
    private void settled(FileTicket file) {
        forgetTemps(file);
        dispenser.settled(file.row());
    }

    private void forgetTemps(FileTicket file) {
        for (int i : file.row().targets()) {
            tempsInFlight.remove(i, file);
        }
    }

    /** Removes a prepared temp file that will not be committed. */
    private void discard(PipelineEvent.Prepared p) {
        roots.destination(p.destIndex()).abandon(p.file().path());
    }
}
