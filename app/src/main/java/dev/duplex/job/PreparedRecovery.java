package dev.duplex.job;

import dev.duplex.backlog.BacklogStore;
import dev.duplex.backlog.FileRow;
import dev.duplex.backlog.PreparedFile;
import dev.duplex.commit.Companions;
import dev.duplex.commit.ReadyMarker;
import dev.duplex.commit.TempName;
import dev.duplex.commit.TimestampApplier;
import dev.duplex.report.AuditLog;
import dev.duplex.report.TransferListener;
import dev.duplex.transfer.FileDigest;
import dev.duplex.transfer.HashAlgorithm;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finishes commits a crash interrupted (dual-target protocol, seed 003): for each file recorded as prepared,
 * when every destination that needed it has either its temp file or its final file with the recorded size and
 * hash, the remaining temps are renamed (roll forward); otherwise the temps are removed and the file goes back
 * to the backlog (roll back). Runs before the scan, on the job thread.
 */
final class PreparedRecovery {
    private final BacklogStore store;
    private final AuditLog audit;
    private final TransferListener listener;
    private final Clock clock;
    private final boolean sidecars;
    private final Optional<String> readySuffix;
    private final TimestampApplier timestamps = new TimestampApplier();

    /**
     * @param sidecars --sidecar: a rolled-forward file gets its checksum files too (the crash came before them)
     * @param readySuffix --ready-suffix: and its ready markers, once it is under its final name everywhere
     */
    PreparedRecovery(BacklogStore store, AuditLog audit, TransferListener listener, Clock clock, boolean sidecars,
                     Optional<String> readySuffix) {
        this.store = store;
        this.audit = audit;
        this.listener = listener;
        this.clock = clock;
        this.readySuffix = readySuffix;
        this.sidecars = sidecars;
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
        Optional<HashAlgorithm> algo = HashAlgorithm.fromCliName(p.algo() == null ? "" : p.algo());
        List<Map.Entry<Path, Path>> tempsToRename = new ArrayList<>();
        boolean complete = algo.isPresent() && p.hash() != null;
        for (int i : row.targets()) {
            if (!complete) {
                break;
            }
            Path finalPath = row.destPaths().get(i);
            Path temp = TempName.forFinal(finalPath);
            if (holdsVersion(temp, p, algo.get())) {
                tempsToRename.add(Map.entry(temp, finalPath));
            } else if (!holdsVersion(finalPath, p, algo.get())) {
                complete = false;
            }
        }
        if (complete && renameAll(tempsToRename, row)) {
            restoreTimes(row);
            Companions companions = new Companions(sidecars ? Optional.of(p.algo()) : Optional.empty(), readySuffix);
            Optional<String> unmarked = companions.writeAfterCommit(
                    row.targets().stream().map(row.destPaths()::get).toList(), row.metadata().sizeBytes(),
                    row.metadata().modified(), p.algo(), p.hash());
            if (unmarked.isPresent()) {
                store.markPendingAgain(row.sourcePath(), unmarked.get());
                listener.warning(row.sourcePath() + ": " + unmarked.get() + "; it will be copied again");
                return;
            }
            store.markSynced(row.sourcePath(), row.metadata(), p.algo(), p.hash(), clock.instant());
            audit.synced(row.sourcePath().toString(), row.destPaths().get(0).toString(), dest2(row),
                    row.metadata().sizeBytes(), p.algo(), p.hash());
            listener.notice("completed the interrupted commit of " + row.sourcePath() + " (rolled forward)");
            return;
        }
        for (int i : row.targets()) {
            deleteQuietly(TempName.forFinal(row.destPaths().get(i)));
        }
        store.markPendingAgain(row.sourcePath(), "interrupted commit rolled back");
        listener.notice("rolled back the interrupted commit of " + row.sourcePath() + "; it will be copied again");
    }

    /**
     * Checking a file's hash read it, and under relatime that read moved its atime (its ctime is newer than the atime
     * the copy had applied); the source's times are applied again.
     */
    private void restoreTimes(FileRow row) {
        for (int i : row.targets()) {
            try {
                timestamps.apply(row.destPaths().get(i), row.metadata());
            } catch (IOException e) {
                listener.warning("cannot set the times of " + row.destPaths().get(i) + ": " + e.getMessage());
            }
        }
    }



    private static boolean holdsVersion(Path file, PreparedFile p, HashAlgorithm algo) {
        try {
            return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                    && Files.size(file) == p.row().metadata().sizeBytes()
                    && FileDigest.hash(file, algo).equals(p.hash());
        } catch (IOException e) {
            return false;
        }
    }

    private boolean renameAll(List<Map.Entry<Path, Path>> temps, FileRow row) {
        for (Map.Entry<Path, Path> t : temps) {
            Path temp = t.getKey();
            Path finalPath = t.getValue();
            try {
                if (readySuffix.isPresent()) {
                    ReadyMarker.remove(finalPath, readySuffix.get()); // an older version's marker
                }
                try {
                    Files.move(temp, finalPath, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, finalPath, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                listener.warning("cannot complete the commit of " + row.sourcePath() + ": " + e.getMessage());
                return false;
            }
        }
        return true;
    }

    private static Optional<String> dest2(FileRow row) {
        return row.destPaths().size() > 1 ? Optional.of(row.destPaths().get(1).toString()) : Optional.empty();
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // the next scan sweeps it
        }
    }
}
