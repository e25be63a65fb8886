package dev.duplex.tree;

import dev.duplex.digest.HashAlgorithm;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A root duplex reads or writes: a local directory ({@link LocalTree}) or a module of a duplex daemon (the remote
 * package's RemoteTree). The scan, transfer, commit and mirror phases work on Trees and speak {@link RelPath}s; a
 * {@link Path} of this machine stops at {@link LocalTree}.
 *
 * <p>Shaped so that a remote root is not chatty: a walk streams its entries in batches; a temp file takes its
 * blocks without a round trip each and says when it is finished through a future; commits are futures too, so
 * that many can be in flight. Methods may be called from several threads at once unless they say otherwise.
 */
public interface Tree extends AutoCloseable {
    /** How much a walk or a stat reads per entry: everything (a source), or size, mtime and kind (a destination). */
    enum Detail { FULL, BASIC }

    /** The root as people, the db and the audit log name it: {@code /mnt/src}, {@code duplex://nas/data/x}. */
    String root();

    /** An entry's full name, as the db's {@code source_path}/{@code dest_path} and the audit log record it. */
    String nameOf(RelPath path);

    /**
     * The relative path of a full name this tree gave ({@link #nameOf}); what the db holds, read back.
     *
     * @throws IllegalArgumentException when the name is not under this root
     */
    RelPath relativize(String name);

    /** The entry's path on this machine, for a local tree; empty for a remote one. */
    Optional<Path> localPath(RelPath path);

    /** Whether the tree is on a local disk of this machine (not a share, not remote): where mmap pays. */
    boolean isLocalDisk();

    /** The file system the root is on (for the mount guard). */
    RootFileSystem fileSystem() throws IOException;

    /**
     * Walks the tree from the root in pre-order, each directory's children sorted by name, handing entries to
     * {@code sink} in batches; never follows symlinks. An entry that vanishes during the walk is not reported; one
     * that cannot be read is reported to the sink as a warning and counted. A missing root is an empty tree.
     */
    WalkResult walk(WalkRules rules, Detail detail, WalkSink sink) throws IOException, InterruptedException;

    /**
     * Walks the subtree below the directory {@code from} (not reporting {@code from} itself), as {@link #walk}
     * does the whole tree.
     */
    WalkResult walk(RelPath from, WalkRules rules, Detail detail, WalkSink sink) throws IOException,
            InterruptedException;

    /** Whether the directory at {@code path} holds no entry (true when there is no directory there). */
    boolean isEmptyDirectory(RelPath path) throws IOException;

    /** The entry at {@code path} now (never following a symlink); empty when there is none. */
    Optional<Entry> stat(RelPath path, Detail detail) throws IOException;

    /**
     * Opens a regular file for reading.
     *
     * @throws java.nio.file.NoSuchFileException when it is gone
     * @throws IOException when it is no longer a regular file or cannot be opened
     */
    SourceFile openRead(RelPath path, Detail detail) throws IOException;

    /** The hash of the whole file at {@code path}, read where the file is. */
    String hash(RelPath path, HashAlgorithm algorithm) throws IOException;

    /**
     * Creates (or truncates) the temp file of {@code finalPath} ({@link TempName}), creating its directories; it
     * becomes {@code finalPath} by {@link #commit}.
     */
    TempFile createTemp(RelPath finalPath) throws IOException;

    /**
     * Creates a symlink to {@code target} (the text, never followed) at the temp name of {@code finalPath}, with
     * {@code modified} as its own mtime where the platform allows; it becomes {@code finalPath} by {@link #commit}.
     */
    void createLinkTemp(RelPath finalPath, String target, Instant modified) throws IOException;

    /** Renames the temp of {@code finalPath} into place (replacing what is there); the future fails with the cause. */
    CompletableFuture<Void> commit(RelPath finalPath);

    /** Removes the temp of {@code finalPath}, if there is one; never throws. */
    void abandon(RelPath finalPath);

    /** Writes a small file duplex makes itself (a sidecar, a marker) through its temp name and a rename. */
    void writeSmallFile(RelPath path, byte[] content) throws IOException;

    /**
     * Deletes a file, a symlink (never what it points to) or an empty directory.
     *
     * @return false when there was nothing to delete
     * @throws java.nio.file.DirectoryNotEmptyException for a directory that is not empty
     */
    boolean delete(RelPath path) throws IOException;

    /** Creates the directory and its parents, as needed. */
    void makeDirectories(RelPath path) throws IOException;

    /** Sets an entry's mtime and atime (a directory's after its files are in place). */
    void setTimes(RelPath path, Instant modified, Instant accessed) throws IOException;

    /**
     * Creates the directory (and its parents) and applies its times: what the end of a run does for every
     * directory. The future completes when that is done; a remote tree sends the requests without waiting, so many
     * directories are under way at once (in order: a directory's times after its children's).
     */
    default CompletableFuture<Void> finishDirectory(RelPath path, Instant modified, Instant accessed) {
        try {
            makeDirectories(path);
            setTimes(path, modified, accessed);
            return CompletableFuture.completedFuture(null);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The tree's rename, where it has one (a two-way sync carries renames over with it); else empty. */
    default Optional<Renamer> renamer() {
        return Optional.empty();
    }

    @Override
    void close();
}
