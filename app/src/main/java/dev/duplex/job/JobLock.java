package dev.duplex.job;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One run per job at a time: an OS file lock on {@code <db>.lock}, held for the whole run and released by the OS
 * if the process dies, so a crashed run never blocks the next. Overlapping cron or Task Scheduler runs get exit 3.
 */
final class JobLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private JobLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static Path lockFileFor(Path db) {
        return db.resolveSibling(db.getFileName() + ".lock");
    }

    static JobLock acquire(Path db) {
        return acquire(db, "another duplex run is using the job db " + db + " (lock " + lockFileFor(db)
                + "); wait for it to finish, or give this run its own --db");
    }

    /**
     * A run on a shared (PostgreSQL) job locks only its audit log: several runs of one job are normal, but two on
     * one machine must not append to the same log.
     */
    static JobLock acquireForAuditLog(Path log) {
        return acquire(log, "another duplex run on this machine writes the audit log " + log + " (lock "
                + lockFileFor(log) + "); give this run its own --log to run both on the shared job");
    }

    private static JobLock acquire(Path db, String lockedMessage) {
        Path lockFile = lockFileFor(db);
        FileChannel channel;
        try {
            Files.createDirectories(lockFile.toAbsolutePath().getParent());
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw JobFailure.fatal("cannot create the lock file " + lockFile + ": " + e.getMessage()
                    + " (is the db directory writable?)", e);
        }
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw locked(channel, lockedMessage);
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)));
            return new JobLock(channel, lock);
        } catch (OverlappingFileLockException e) {
            throw locked(channel, lockedMessage);
        } catch (IOException e) {
            closeQuietly(channel);
            throw JobFailure.fatal("cannot lock " + lockFile + ": " + e.getMessage(), e);
        }
    }

    private static JobFailure locked(FileChannel channel, String message) {
        closeQuietly(channel);
        return new JobFailure(JobFailure.Kind.LOCKED, message);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing held
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
