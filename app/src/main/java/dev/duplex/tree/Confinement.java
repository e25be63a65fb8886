package dev.duplex.tree;

import java.io.IOException;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * How strictly a {@link LocalTree} keeps to its root. A local sync trusts its own roots ({@link #NONE}): it never
 * follows a symlink it finds, but a directory on the way to a path it reads is taken as the scan found it. A
 * daemon's module ({@link #strict()}) serves clients it does not trust: no operation goes through a symlink on the
 * way to its path, reads do not follow one either, and operations that change names (renames, deletes, new
 * directories and links) exclude, for their short duration, the check-then-open of every other operation, so that
 * no client can swap a directory for a symlink between another client's check and its open.
 */
public final class Confinement {
    /** An operation that may fail with an IOException. */
    @FunctionalInterface
    public interface Operation<T> {
        T run() throws IOException;
    }

    public static final Confinement NONE = new Confinement(false);

    private final boolean strict;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();

    private Confinement(boolean strict) {
        this.strict = strict;
    }

    /** A new strict confinement (one per module: its lock is the module's). */
    public static Confinement strict() {
        return new Confinement(true);
    }

    public boolean isStrict() {
        return strict;
    }

    /** Runs an operation that resolves a path and opens or reads what is there. */
    <T> T resolving(Operation<T> op) throws IOException {
        if (!strict) {
            return op.run();
        }
        lock.readLock().lock();
        try {
            return op.run();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Runs an operation that changes names in the tree. */
    <T> T changingNames(Operation<T> op) throws IOException {
        if (!strict) {
            return op.run();
        }
        lock.writeLock().lock();
        try {
            return op.run();
        } finally {
            lock.writeLock().unlock();
        }
    }
}
