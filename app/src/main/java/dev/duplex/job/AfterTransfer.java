package dev.duplex.job;

import dev.duplex.backlog.BacklogStore;
import dev.duplex.backlog.Extra;
import dev.duplex.backlog.LinkRow;
import dev.duplex.commit.DirectoryFinisher;
import dev.duplex.commit.LinkMaker;
import dev.duplex.digest.HashAlgorithm;
import dev.duplex.mirror.ExtraFileDeleter;
import dev.duplex.report.AuditLog;
import dev.duplex.report.TransferListener;
import dev.duplex.report.TransferListener.Phase;
import dev.duplex.report.TransferStats;
import dev.duplex.tree.Roots;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What a run does once the files are copied: symlinks made (a link may point at one of the files), extras deleted
 * (--delete-extras), directories created and stamped. Job thread.
 */
final class AfterTransfer {
    private final SyncOptions options;
    private final Roots roots;
    private final TransferListener listener;
    private final TransferStats stats;

    AfterTransfer(SyncOptions options, Roots roots, TransferListener listener, TransferStats stats) {
        this.options = options;
        this.roots = roots;
        this.listener = listener;
        this.stats = stats;
    }

    /** Recreates pending source symlinks as symlinks. */
    void makeLinks(BacklogStore store, AuditLog audit) {
        LinkMaker maker = new LinkMaker(roots.destinations());
        for (LinkRow link : store.pendingLinks()) {
            String source = roots.source().nameOf(link.path());
            String dest = roots.destination(0).nameOf(link.path());
            Optional<String> dest2 = roots.destinationCount() > 1
                    ? Optional.of(roots.destination(1).nameOf(link.path())) : Optional.empty();
            Optional<String> error = maker.make(link);
            store.markLink(link.path(), error);
            if (error.isEmpty()) {
                HashAlgorithm.FileHasher h = options.checksum().newHasher();
                h.update(java.nio.ByteBuffer.wrap(link.target().getBytes(StandardCharsets.UTF_8)));
                audit.syncedLink(source, dest, dest2, link.target(), options.checksum().cliName(), h.finishHex());
                stats.linkMade();
            } else {
                audit.failed(source, dest, dest2, 0, "cannot make symlink: " + error.get());
                stats.failed();
                listener.fileFailed(source, "cannot make symlink: " + error.get());
            }
        }
        audit.flush();
        store.commit();
    }

    /**
     * Mirror cleanup, after a clean scan only. {@code deletedMakingWay}: entries deleted to make way for source
     * entries of another kind, which count against --max-delete too. Returns true when cleanup refused to delete.
     */
    boolean deleteExtras(BacklogStore store, AuditLog audit, long deletedMakingWay) {
        listener.phaseStarted(Phase.CLEANUP);
        if (!store.lastScanWasClean()) {
            listener.warning("not deleting extra files: the scan could not read the whole source");
            return false;
        }
        long cap = options.maxDelete() < 0 ? options.maxDelete() : Math.max(0, options.maxDelete() - deletedMakingWay);
        ExtraFileDeleter.Outcome outcome = new ExtraFileDeleter(roots, options.filter())
                .deleteExtras(store, new ExtraFileDeleter.Observer() {
                    @Override
                    public void deleted(Extra extra) {
                        audit.deleted(roots.source().nameOf(extra.path()),
                                roots.destination(extra.destination()).nameOf(extra.path()));
                        stats.deleted();
                    }

                    @Override
                    public void kept(Extra extra, String reason) {
                        listener.warning("kept " + roots.destination(extra.destination()).nameOf(extra.path()) + ": "
                                + reason);
                    }
                }, false, new ExtraFileDeleter.Limits(options.allowEmptySource(), cap));
        outcome.refusal().ifPresent(listener::warning);
        audit.flush();
        store.commit();
        return outcome.refusal().isPresent();
    }

    /** Every source directory in the destinations, with its times, deepest first. */
    void finishDirectories(BacklogStore store) {
        DirectoryFinisher.finish(store, roots.destinations(),
                (dir, why) -> listener.warning("cannot finish directory " + dir + ": " + why));
    }
}
