package dev.duplex.scan;

import dev.duplex.backlog.BacklogStore;
import dev.duplex.backlog.DirRow;
import dev.duplex.backlog.Extra;
import dev.duplex.backlog.FileRow;
import dev.duplex.backlog.FileStatus;
import dev.duplex.backlog.LinkRow;
import dev.duplex.report.TransferListener;
import dev.duplex.report.TransferStats;
import dev.duplex.tree.Entry;
import dev.duplex.tree.EntryKind;
import dev.duplex.tree.RelPath;
import dev.duplex.tree.Tree;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;

/**
 * Joins the source walk with each destination walk like sorted lists (both are in {@link RelPath} order) and
 * records the result in the backlog: each source file as pending or up to date, each source directory and symlink,
 * each destination-only entry as an extra, each leftover temp file. Runs on the job thread, the db's owner. Memory
 * stays flat: only the current batch of each walk is held.
 */
final class ScanMerger {
    private final BacklogStore store;
    private final long scanId;
    private final TransferListener listener;
    private final TransferStats stats;
    private final ScanRules rules;
    private final Tree source;
    private final CompanionIndex companions;
    private final List<StaleTemp> staleTemps = new ArrayList<>();
    private final List<TypeConflict> typeConflicts = new ArrayList<>();
    private long sourceFiles;
    private long sourceBytes;
    private long pendingFiles;
    private long pendingBytes;
    private long upToDate;
    private long skippedSpecial;
    private long links;
    private long extras;
    private long unmarked;

    /** @param source the source tree, which messages name */
    ScanMerger(Tree source, BacklogStore store, long scanId, TransferListener listener, TransferStats stats,
               ScanRules rules) {
        this.source = source;
        this.store = store;
        this.scanId = scanId;
        this.listener = listener;
        this.stats = stats;
        this.rules = rules;
        this.companions = new CompanionIndex(rules.companionSuffixes());
    }

    ScanOutcome merge(BlockingQueue<ScanBatch> source, List<BlockingQueue<ScanBatch>> dests)
            throws InterruptedException {
        Cursor src = new Cursor(source);
        List<Cursor> dst = new ArrayList<>();
        for (BlockingQueue<ScanBatch> q : dests) {
            dst.add(new Cursor(q));
        }
        while (true) {
            RelPath next = smallest(src, dst);
            if (next == null) {
                break;
            }
            Optional<Entry> s = src.takeIf(next);
            List<Optional<Entry>> d = new ArrayList<>(dst.size());
            for (Cursor c : dst) {
                d.add(c.takeIf(next));
            }
            if (s.isPresent()) {
                companions.sourceEntry(s.get());
                onSource(s.get(), d);
            } else {
                for (int i = 0; i < d.size(); i++) {
                    int destIndex = i;
                    d.get(i).ifPresent(e -> onDestinationOnly(destIndex, e));
                }
            }
        }
        if (unmarked > 0) {
            listener.notice(unmarked + " files are up to date but have no ready marker (" + rules.readySuffix().orElse("")
                    + "): copying them again to write it");
        }
        return new ScanOutcome(sourceFiles, sourceBytes, pendingFiles, pendingBytes, upToDate, skippedSpecial,
                links, extras, List.copyOf(staleTemps), List.copyOf(typeConflicts), 0, ScanOutcome.Excluded.NONE);
    }

    private static RelPath smallest(Cursor src, List<Cursor> dst) throws InterruptedException {
        RelPath min = src.peek().map(Entry::path).orElse(null);
        for (Cursor c : dst) {
            Optional<Entry> e = c.peek();
            if (e.isPresent() && (min == null || e.get().path().compareTo(min) < 0)) {
                min = e.get().path();
            }
        }
        return min;
    }

    private void onSource(Entry s, List<Optional<Entry>> dests) {
        if (s.excluded()) {
            onExcludedSource(s, dests);
            return;
        }
        switch (s.kind()) {
            case FILE -> onSourceFile(s, dests);
            case DIRECTORY -> {
                store.upsertDir(new DirRow(s.path(), s.metadata().modified(), s.metadata().accessed()), scanId);
                for (int i = 0; i < dests.size(); i++) {
                    int destIndex = i;
                    dests.get(i).filter(d -> d.kind() != EntryKind.DIRECTORY && d.kind() != EntryKind.TEMP)
                            .ifPresent(d -> typeConflicts.add(new TypeConflict(destIndex, s.path(), false)));
                    dests.get(i).filter(d -> d.kind() != EntryKind.DIRECTORY)
                            .ifPresent(d -> onDestinationOnly(destIndex, d));
                }
            }
            case SYMLINK -> onSourceLink(s, dests);
            case OTHER -> {
                skippedSpecial++;
                listener.warning("skipping special file " + source.nameOf(s.path())
                        + " (not a regular file, directory or symlink)");
            }
            case TEMP -> {
                // another duplex run's in-flight temp file in the source tree: never a thing to copy
            }
        }
    }

    private void onSourceFile(Entry s, List<Optional<Entry>> dests) {
        sourceFiles++;
        sourceBytes += s.metadata().sizeBytes();
        List<Integer> targets = new ArrayList<>(dests.size());
        for (int i = 0; i < dests.size(); i++) {
            Optional<Entry> d = dests.get(i);
            boolean sameVersion = d.isPresent() && d.get().kind() == EntryKind.FILE
                    && SkipRule.isUpToDate(s.metadata(), d.get().metadata());
            boolean current = sameVersion && (rules.readySuffix().isEmpty() || d.get().marked());
            if (!current) {
                targets.add(i);
                if (sameVersion) {
                    unmarked++;
                }
            }
            if (d.isPresent() && d.get().kind() == EntryKind.DIRECTORY) {
                typeConflicts.add(new TypeConflict(i, s.path(), true));
            }
        }
        store.upsertFile(new FileRow(s.path(), targets, s.metadata()),
                targets.isEmpty() ? FileStatus.SYNCED : FileStatus.PENDING, scanId);
        if (targets.isEmpty()) {
            upToDate++;
        } else {
            pendingFiles++;
            pendingBytes += s.metadata().sizeBytes();
            stats.pendingFound(s.metadata().sizeBytes());
        }
    }

    /**
     * A source entry the filters leave out. Left out by the size bounds: not copied, and its copy in a destination
     * is kept whatever the options (as rsync does: the bounds say what to copy, not what to delete). Left out by the
     * rules: its destination entry, when the rules exclude that too, goes only with {@code --delete-excluded}; one
     * the rules do not exclude (a file where the source has an excluded directory) is an extra, as in rsync.
     */
    private void onExcludedSource(Entry s, List<Optional<Entry>> dests) {
        boolean bySize = s.kind() == EntryKind.FILE && !rules.filter().excludes(s.path().toString(), false);
        if (bySize) {
            return;
        }
        for (int i = 0; i < dests.size(); i++) {
            int destIndex = i;
            dests.get(i).filter(d -> d.kind() != EntryKind.TEMP && (rules.deleteExcluded() || !d.excluded()))
                    .ifPresent(d -> recordExtra(destIndex, d, true));
        }
    }

    /** A symlink is up to date on a destination that has a symlink with the same target text. */
    private void onSourceLink(Entry s, List<Optional<Entry>> dests) {
        String target = s.linkTarget().orElse("");
        links++;
        List<Integer> targets = new ArrayList<>();
        for (int i = 0; i < dests.size(); i++) {
            Optional<Entry> d = dests.get(i);
            boolean current = d.isPresent() && d.get().kind() == EntryKind.SYMLINK
                    && d.get().linkTarget().filter(target::equals).isPresent();
            if (!current) {
                targets.add(i);
            }
            if (d.isPresent() && d.get().kind() == EntryKind.DIRECTORY) {
                typeConflicts.add(new TypeConflict(i, s.path(), true));
            }
        }
        store.upsertLink(new LinkRow(s.path(), targets, target, s.metadata().modified()),
                targets.isEmpty() ? FileStatus.SYNCED : FileStatus.PENDING, scanId);
    }

    private void onDestinationOnly(int destIndex, Entry d) {
        if (d.kind() == EntryKind.TEMP) {
            if (ownTemp(d.path())) {
                staleTemps.add(new StaleTemp(destIndex, d.path()));
            }
            return;
        }
        if (!d.excluded() && companions.isCompanion(d)) {
            return;
        }
        recordExtra(destIndex, d, d.excluded());
    }

    private void recordExtra(int destIndex, Entry d, boolean excluded) {
        extras++;
        store.addExtra(new Extra(d.path(), destIndex, d.kind() == EntryKind.DIRECTORY, excluded));
    }

    /** The head of one walk's stream. */
    private static final class Cursor {
        private final BlockingQueue<ScanBatch> queue;
        private Iterator<Entry> batch = List.<Entry>of().iterator();
        private Entry head;
        private boolean ended;

        Cursor(BlockingQueue<ScanBatch> queue) {
            this.queue = queue;
        }

        Optional<Entry> peek() throws InterruptedException {
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

        /** Consumes the head when it is at {@code path}. */
        Optional<Entry> takeIf(RelPath path) throws InterruptedException {
            Optional<Entry> h = peek();
            if (h.isPresent() && h.get().path().equals(path)) {
                head = null;
                return h;
            }
            return Optional.empty();
        }
    }

    /**
     * Whether a temp file is this run's to sweep: any, without {@code --shard}; with it, only one whose final name
     * can be read back and is this part's (the other parts may be writing theirs right now).
     */
    private boolean ownTemp(dev.duplex.tree.RelPath temp) {
        if (rules.filter().shard().isEmpty()) {
            return true;
        }
        return dev.duplex.tree.TempName.finalNameOf(temp.name())
                .map(name -> rules.filter().shard().get().holds(temp.sibling(name).toString())).orElse(false);
    }
}
