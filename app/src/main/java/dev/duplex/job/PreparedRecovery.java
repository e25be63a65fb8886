package dev.duplex.job;

import dev.duplex.backlog.BacklogStore;
import dev.duplex.backlog.FileRow;
import dev.duplex.backlog.PreparedFile;
import dev.duplex.commit.Companions;
import dev.duplex.commit.ReadyMarker;
import dev.duplex.digest.HashAlgorithm;
import dev.duplex.report.AuditLog;
import dev.duplex.report.TransferListener;
import dev.duplex.tree.Entry;
import dev.duplex.tree.EntryKind;
import dev.duplex.tree.RelPath;
import dev.duplex.tree.Roots;
import dev.duplex.tree.TempName;
import dev.duplex.tree.Tree;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/**
 * Finishes commits a crash interrupted (dual-target protocol, seed 003): for each file recorded as prepared,
 * when every destination that needed it has either its temp file or its final file with the recorded size and
 * hash, the remaining temps are renamed (roll forward); otherwise the temps are removed and the file goes back
 * to the backlog (roll back). Runs before the scan, on the job thread.
 */
final class PreparedRecovery {
    private final BacklogStore store;
    private final Roots roots;
    private final AuditLog audit;
    private final TransferListener listener;
    private final Clock clock;
    private final boolean sidecars;
    private final Optional<String> readySuffix;

    /**
     * @param sidecars --sidecar: a rolled-forward file gets its checksum files too (the crash came before them)
     * @param readySuffix --ready-suffix: and its ready markers, once it is under its final name everywhere
     */
    PreparedRecovery(BacklogStore store, Roots roots, AuditLog audit, TransferListener listener, Clock clock,
                     boolean sidecars, Optional<String> readySuffix) {
        this.store = store;
        this.roots = roots;
        this.audit = audit;
        this.listener = listener;
        this.clock = clock;
        this.sidecars = sidecars;
        this.readySuffix = readySuffix;
    }

    void recover() {
        for (PreparedFile p : store.preparedFiles()) {
            recoverOne(p);
        }
        audit.flush();
        store.commit();
    }

    private void recoverOne(PreparedFile p) {
        FileRow row = p.row();
        String source = roots.source().nameOf(row.path());
        Optional<HashAlgorithm> algo = HashAlgorithm.fromCliName(p.algo() == null ? "" : p.algo());
        List<Tree> toRename = new ArrayList<>();
        boolean complete = algo.isPresent() && p.hash() != null;
        for (int i : row.targets()) {
            if (!complete) {
                break;
            }
            Tree dest = roots.destination(i);
            if (holdsVersion(dest, TempName.forFinal(row.path()), p, algo.get())) {
                toRename.add(dest);
            } else if (!holdsVersion(dest, row.path(), p, algo.get())) {
                complete = false;
            }
        }
        if (complete && renameAll(toRename, row)) {
            restoreTimes(row);
            Companions companions = new Companions(sidecars ? Optional.of(p.algo()) : Optional.empty(), readySuffix);
            Optional<String> unmarked = companions.writeAfterCommit(row.targets().stream()
                    .map(i -> new Companions.Place(roots.destination(i), row.path())).toList(),
                    row.metadata().sizeBytes(), row.metadata().modified(), p.algo(), p.hash());
            if (unmarked.isPresent()) {
                store.markPendingAgain(row.path(), unmarked.get());
                listener.warning(source + ": " + unmarked.get() + "; it will be copied again");
                return;
            }
            store.markSynced(row.path(), row.metadata(), p.algo(), p.hash(), clock.instant());
            audit.synced(source, roots.destination(0).nameOf(row.path()), dest2(row), row.metadata().sizeBytes(),
                    p.algo(), p.hash());
            listener.notice("completed the interrupted commit of " + source + " (rolled forward)");
            return;
        }
        for (int i : row.targets()) {
            roots.destination(i).abandon(row.path());
        }
        store.markPendingAgain(row.path(), "interrupted commit rolled back");
        listener.notice("rolled back the interrupted commit of " + source + "; it will be copied again");
    }

    /**
     * Checking a file's hash read it, and under relatime that read moved its atime (its ctime is newer than the atime
     * the copy had applied); the source's times are applied again.
     */
    private void restoreTimes(FileRow row) {
        for (int i : row.targets()) {
            Tree dest = roots.destination(i);
            try {
                dest.setTimes(row.path(), row.metadata().modified(), row.metadata().accessed());
            } catch (IOException e) {
                listener.warning("cannot set the times of " + dest.nameOf(row.path()) + ": " + e.getMessage());
            }
        }
    }

    private static boolean holdsVersion(Tree tree, RelPath file, PreparedFile p, HashAlgorithm algo) {
        try {
            Optional<Entry> e = tree.stat(file, Tree.Detail.BASIC);
            return e.isPresent() && e.get().kind() == EntryKind.FILE
                    && e.get().metadata().sizeBytes() == p.row().metadata().sizeBytes()
                    && tree.hash(file, algo).equals(p.hash());
        } catch (IOException e) {
            return false;
        }
    }

    private boolean renameAll(List<Tree> temps, FileRow row) {
        for (Tree dest : temps) {
            try {
                if (readySuffix.isPresent()) {
                    dest.delete(ReadyMarker.markerFor(row.path(), readySuffix.get())); // an older version's marker
                }
                dest.commit(row.path()).join();
            } catch (IOException | CompletionException e) {
                Throwable cause = e instanceof CompletionException c && c.getCause() != null ? c.getCause() : e;
                listener.warning("cannot complete the commit of " + roots.source().nameOf(row.path()) + ": "
                        + cause.getMessage());
                return false;
            }
        }
        return true;
    }

    private Optional<String> dest2(FileRow row) {
        return roots.destinationCount() > 1 ? Optional.of(roots.destination(1).nameOf(row.path())) : Optional.empty();
    }
}
