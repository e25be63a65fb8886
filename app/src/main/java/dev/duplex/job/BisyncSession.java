package dev.duplex.job;

import dev.duplex.backlog.BacklogStore;
import dev.duplex.backlog.BacklogStores;
import dev.duplex.backlog.PathNames;
import dev.duplex.report.TransferListener;
import dev.duplex.tree.RelPath;
import dev.duplex.tree.Roots;
import dev.duplex.tree.StatThreads;
import dev.duplex.tree.Tree;
import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A two-way job's open resources: both roots, the job lock and the db (bound to this LEFT and RIGHT), with the
 * mount guard passed. A dry run takes no lock and writes nothing: the db is opened read-only (a scratch one when
 * the job is new). One run, or a whole {@code --watch}, holds one session.
 */
public final class BisyncSession implements AutoCloseable {
    private final BisyncOptions options;
    private final StatThreads stats;
    private final Roots roots;
    private final JobLock lock;
    private final BacklogStore store;
    private final Consumer<String> warnings;
    private final boolean owner;

    private BisyncSession(BisyncOptions options, StatThreads stats, Roots roots, JobLock lock, BacklogStore store,
                          Consumer<String> warnings, boolean owner) {
        this.owner = owner;
        this.options = options;
        this.stats = stats;
        this.roots = roots;
        this.lock = lock;
        this.store = store;
        this.warnings = warnings;
    }

    public static BisyncSession open(BisyncOptions options, Consumer<String> warnings) {
        StatThreads stats = new StatThreads(0);         // the sync's default: a pool for a side on a share
        Roots roots = null;
        JobLock lock = null;
        BacklogStore store = null;
        try {
            roots = JobTrees.open(options.left(), List.of(options.right()), options.remote(), options.checksum(),
                    stats, true);
            PathNames names = PathNames.of(roots);
            if (options.dryRun()) {
                store = Files.exists(options.dbPath()) ? BacklogStores.openReadOnly(options.dbPath(), names)
                        : BacklogStores.openTemporary(names);
            } else {
                lock = JobLock.acquire(options.dbPath());
                store = BacklogStores.open(options.dbPath(), names);
                Tree left = roots.source();
                Tree right = roots.destinations().get(0);
                store.bindJob("bisync " + left.root(), List.of(right.root())).ifPresent(other -> {
                    throw new JobFailure(JobFailure.Kind.USAGE, "the db " + options.dbPath() + " belongs to "
                            + other + "; give this job its own --db");
                });
            }
            BisyncSession session = new BisyncSession(options, stats, roots, lock, store, warnings, true);
            session.guardMounts(!options.dryRun());
            return session;
        } catch (RuntimeException e) {
            closeQuietly(store, lock, roots, stats);
            throw e;
        }
    }

    /**
     * The same roots with a db connection of its own and no lock (this session holds the job's), for a second
     * thread of the same job: a watch's lane for large files. Closing it closes only its connection.
     */
    public BisyncSession sibling() {
        BacklogStore own = BacklogStores.open(options.dbPath(), PathNames.of(roots));
        return new BisyncSession(options, stats, roots, null, own, warnings, false);
    }

    public Tree left() {
        return roots.source();
    }

    public Tree right() {
        return roots.destinations().get(0);
    }

    public BacklogStore store() {
        return store;
    }

    /**
     * Both roots there, as directories, on the file systems the job recorded; a {@link JobFailure} saying which
     * is not (a watch checks this before each pass and waits while it fails).
     */
    public void checkRoots() {
        BisyncScope.requireRoot(left(), "LEFT");
        BisyncScope.requireRoot(right(), "RIGHT");
        guardMounts(false);
    }

    private void guardMounts(boolean record) {
        Map<String, Tree> named = new LinkedHashMap<>();
        named.put("left", left());
        named.put("right", right());
        new MountGuard(MountGuard.REAL).check(named, store.settings(), options.allowFsChange(), record,
                new TransferListener() {
                    @Override
                    public void notice(String message) {
                        warnings.accept(message);
                    }

                    @Override
                    public void warning(String message) {
                        warnings.accept(message);
                    }
                });
    }

    /** The name of {@code path} under a root, for messages. */
    public String nameOf(boolean leftSide, RelPath path) {
        return (leftSide ? left() : right()).nameOf(path);
    }

    @Override
    public void close() {
        if (!owner) {
            store.close();
            return;
        }
        try {
            store.close();
        } finally {
            try {
                if (lock != null) {
                    lock.close();
                }
            } catch (IOException e) {
                throw JobFailure.fatal("cannot release the lock of " + options.dbPath() + ": " + e.getMessage(), e);
            } finally {
                closeQuietly(null, null, roots, stats);
            }
        }
    }

    private static void closeQuietly(BacklogStore store, JobLock lock, Roots roots, StatThreads stats) {
        for (AutoCloseable c : new AutoCloseable[] {store, lock, roots, stats}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // closing after a failure: the first problem is the one reported
                }
            }
        }
    }
}
