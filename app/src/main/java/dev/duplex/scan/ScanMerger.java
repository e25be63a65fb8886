package dev.duplex.scan;

import dev.duplex.backlog.BacklogStore;
import dev.duplex.backlog.DirRow;
import dev.duplex.backlog.Extra;
import dev.duplex.backlog.FileRow;
import dev.duplex.backlog.FileStatus;
import dev.duplex.report.TransferListener;
import dev.duplex.report.TransferStats;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;

/**
 * Joins the source walk with each destination walk like sorted lists (both are in {@link RelativePathOrder}) and
 * records the result in the backlog: each source file as pending or up to date, each source directory, each
 * destination-only entry as an extra, each leftover temp file. Runs on the job thread, the db's owner. Memory
 * stays flat: only the current batch of each walk is held.
 */
final class ScanMerger {
    private final Path sourceRoot;
    private final List<Path> destRoots;
    private final BacklogStore store;
    private final long scanId;
    private final TransferListener listener;
    private final TransferStats stats;
    private final ScanRules rules;
    private final List<String> companionSuffixes;
    private final List<Path> staleTemps = new ArrayList<>();
    private final List<TypeConflict> typeConflicts = new ArrayList<>();
    private long sourceFiles;
    private long sourceBytes;
    private long pendingFiles;
    private long pendingBytes;
    private long upToDate;
    private long skippedSpecial;
    private long links;
    private long extras;

    ScanMerger(Path sourceRoot, List<Path> destRoots, BacklogStore store, long scanId, TransferListener listener,
               TransferStats stats, ScanRules rules) {
        this.sourceRoot = sourceRoot;
        this.destRoots = List.copyOf(destRoots);
        this.store = store;
        this.scanId = scanId;
        this.listener = listener;
        this.stats = stats;
        this.rules = rules;
        this.companionSuffixes = rules.companionSuffixes();
    }

    ScanOutcome merge(BlockingQueue<ScanBatch> source, List<BlockingQueue<ScanBatch>> dests)
            throws InterruptedException {
        Cursor src = new Cursor(source);
        List<Cursor> dst = new ArrayList<>();
        for (BlockingQueue<ScanBatch> q : dests) {
            dst.add(new Cursor(q));
        }
        while (true) {
            String next = smallest(src, dst);
            if (next == null) {
                break;
            }
            Optional<ScannedEntry> s = src.takeIf(next);
            List<Optional<ScannedEntry>> d = new ArrayList<>(dst.size());
            for (Cursor c : dst) {
                d.add(c.takeIf(next));
            }
            if (s.isPresent()) {
                onSource(s.get(), d);
            } else {
                for (int i = 0; i < d.size(); i++) {
                    int destIndex = i;
                    d.get(i).ifPresent(e -> onDestinationOnly(destIndex, e));
                }
            }
        }
        return new ScanOutcome(sourceFiles, sourceBytes, pendingFiles, pendingBytes, upToDate, skippedSpecial,
                links, extras, List.copyOf(staleTemps), List.copyOf(typeConflicts), 0, ScanOutcome.Excluded.NONE);
    }

    private String smallest(Cursor src, List<Cursor> dst) throws InterruptedException {
        String min = src.peek().map(ScannedEntry::relative).orElse(null);
        for (Cursor c : dst) {
            Optional<ScannedEntry> e = c.peek();
            if (e.isPresent() && (min == null || RelativePathOrder.INSTANCE.compare(e.get().relative(), min) < 0)) {
                min = e.get().relative();
            }
        }
        return min;
    }

    private void onSource(ScannedEntry s, List<Optional<ScannedEntry>> dests) {
        if (s.excluded()) {
            onExcludedSource(s, dests);
            return;
        }
        List<Path> destPaths = destPaths(s.relative());
        switch (s.kind()) {
            case FILE -> {
                sourceFiles++;
                sourceBytes += s.metadata().sizeBytes();
                List<Integer> targets = new ArrayList<>(dests.size());
                for (int i = 0; i < dests.size(); i++) {
                    Optional<ScannedEntry> d = dests.get(i);
                    boolean current = d.isPresent() && d.get().kind() == EntryKind.FILE
                            && SkipRule.isUpToDate(s.metadata(), d.get().metadata())
                            && (rules.readySuffix().isEmpty() || d.get().marked());
                    if (!current) {
                        targets.add(i);
                    }
                    if (d.isPresent() && d.get().kind() == EntryKind.DIRECTORY) {
                        typeConflicts.add(new TypeConflict(destPaths.get(i), sourceRoot.resolve(s.relative()), true));
                    }
                }
                store.upsertFile(new FileRow(sourceRoot.resolve(s.relative()), destPaths, targets, s.metadata()),
                        targets.isEmpty() ? FileStatus.SYNCED : FileStatus.PENDING, scanId);
                if (targets.isEmpty()) {
                    upToDate++;
                } else {
                    pendingFiles++;
                    pendingBytes += s.metadata().sizeBytes();
                    stats.pendingFound(s.metadata().sizeBytes());
                }
            }
            case DIRECTORY -> {
                store.upsertDir(new DirRow(sourceRoot.resolve(s.relative()), destPaths, s.metadata().modified(),
                        s.metadata().accessed()), scanId);
                for (int i = 0; i < dests.size(); i++) {
                    int destIndex = i;
                    dests.get(i).filter(d -> d.kind() != EntryKind.DIRECTORY && d.kind() != EntryKind.TEMP)
                            .ifPresent(d -> typeConflicts.add(new TypeConflict(destPaths.get(destIndex),
                                    sourceRoot.resolve(s.relative()), false)));
                    dests.get(i).filter(d -> d.kind() != EntryKind.DIRECTORY)
                            .ifPresent(d -> onDestinationOnly(destIndex, d));
                }
            }
            case SYMLINK -> onSourceLink(s, dests, destPaths);
            case OTHER -> {
                skippedSpecial++;
                listener.warning("skipping special file " + sourceRoot.resolve(s.relative())
                        + " (not a regular file, directory or symlink)");
            }
            case TEMP -> {
                // another duplex run's in-flight temp file in the source tree: never a thing to copy
            }
        }
    }

    /**
     * A source file the size bounds leave out: not copied, and its copy in a destination is no extra (the source has
     * it), unless {@code --delete-excluded}. A destination directory below it would be walked on its own.
     */
    private void onExcludedSource(ScannedEntry s, List<Optional<ScannedEntry>> dests) {
        for (int i = 0; i < dests.size(); i++) {
            int destIndex = i;
            dests.get(i).filter(d -> rules.deleteExcluded() && d.kind() != EntryKind.TEMP)
                    .ifPresent(d -> recordExtra(destIndex, d, true));
        }
    }

    /** A symlink is up to date on a destination that has a symlink with the same target text. */
    private void onSourceLink(ScannedEntry s, List<Optional<ScannedEntry>> dests, List<Path> destPaths) {
        Path source = sourceRoot.resolve(s.relative());
        String target;
        try {
            target = java.nio.file.Files.readSymbolicLink(source).toString();
        } catch (java.io.IOException e) {
            listener.warning("cannot read symlink " + source + ": " + e.getMessage());
            return;
        }
        links++;
        List<Integer> targets = new ArrayList<>();
        for (int i = 0; i < dests.size(); i++) {
            Optional<ScannedEntry> d = dests.get(i);
            boolean current = d.isPresent() && d.get().kind() == EntryKind.SYMLINK
                    && target.equals(readLinkQuietly(destPaths.get(i)));
            if (!current) {
                targets.add(i);
            }
            if (d.isPresent() && d.get().kind() == EntryKind.DIRECTORY) {
                typeConflicts.add(new TypeConflict(destPaths.get(i), source, true));
            }
        }
        store.upsertLink(new dev.duplex.backlog.LinkRow(source, destPaths, targets, target, s.metadata().modified()),
                targets.isEmpty() ? FileStatus.SYNCED : FileStatus.PENDING, scanId);
    }

    private static String readLinkQuietly(Path link) {
        try {
            return java.nio.file.Files.readSymbolicLink(link).toString();
        } catch (java.io.IOException | UnsupportedOperationException e) {
            return "";
        }
    }

    private void onDestinationOnly(int destIndex, ScannedEntry d) {
        Path destPath = destRoots.get(destIndex).resolve(d.relative());
        if (d.kind() == EntryKind.TEMP) {
            staleTemps.add(destPath);
            return;
        }
        if (!d.excluded() && isCompanionOfASourceFile(d)) {
            return;
        }
        recordExtra(destIndex, d, d.excluded());
    }

    private void recordExtra(int destIndex, ScannedEntry d, boolean excluded) {
        extras++;
        store.addExtra(new Extra(destRoots.get(destIndex).resolve(d.relative()), sourceRoot.resolve(d.relative()),
                d.kind() == EntryKind.DIRECTORY, excluded));
    }

    /** A sidecar or ready marker beside a file the source has: duplex's own, not an extra. */
    private boolean isCompanionOfASourceFile(ScannedEntry d) {
        if (d.kind() != EntryKind.FILE) {
            return false;
        }
        String name = d.name();
        for (String suffix : companionSuffixes) {
            if (name.endsWith(suffix) && name.length() > suffix.length()) {
                String base = d.relative().substring(0, d.relative().length() - suffix.length());
                if (java.nio.file.Files.isRegularFile(sourceRoot.resolve(base), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    return true;
                }
            }
        }
        return false;
    }

    private List<Path> destPaths(String relative) {
        List<Path> out = new ArrayList<>(destRoots.size());
        for (Path root : destRoots) {
            out.add(root.resolve(relative));
        }
        return out;
    }

    /** The head of one walk's stream. */
    private static final class Cursor {
        private final BlockingQueue<ScanBatch> queue;
        private Iterator<ScannedEntry> batch = List.<ScannedEntry>of().iterator();
        private ScannedEntry head;
        private boolean ended;

        Cursor(BlockingQueue<ScanBatch> queue) {
            this.queue = queue;
        }

        Optional<ScannedEntry> peek() throws InterruptedException {
            while (head == null && !ended) {
                if (batch.hasNext()) {
                    head = batch.next();
                } else {
                    ScanBatch b = queue.take();
                    if (b.isEnd()) {
                        ended = true;
                    } else {
                        batch = b.entries().iterator();
                    }
                }
            }
            return Optional.ofNullable(head);
        }

        /** Consumes the head when it is at {@code relative}. */
        Optional<ScannedEntry> takeIf(String relative) throws InterruptedException {
            Optional<ScannedEntry> h = peek();
            if (h.isPresent() && h.get().relative().equals(relative)) {
                head = null;
                return h;
            }
            return Optional.empty();
        }
    }
}
