package dev.duplex.tree;

import dev.duplex.digest.FileDigest;
import dev.duplex.digest.HashAlgorithm;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A directory of this machine as a {@link Tree}: the root is an absolute path, and every write and delete is kept
 * inside it (never through a symlinked directory inside the root, {@link DestinationGuard}). What the sync did with
 * {@link Path}s before Trees, moved behind the interface.
 */
public final class LocalTree implements Tree {
    private final Path root;
    private final StatThreads statThreads;
    private final LocalHooks hooks;
    private final Confinement confinement;
    private final DestinationGuard guard;
    private final TimestampApplier timestamps = new TimestampApplier();
    private volatile Boolean localDisk;

    /** @param root an absolute path (it need not exist yet) */
    public LocalTree(Path root, StatThreads statThreads, LocalHooks hooks) {
        this(root, statThreads, hooks, Confinement.NONE);
    }

    /** A tree kept to its root as {@code confinement} says (a daemon's module: {@link Confinement#strict()}). */
    public LocalTree(Path root, StatThreads statThreads, LocalHooks hooks, Confinement confinement) {
        this.root = root.toAbsolutePath().normalize();
        this.statThreads = statThreads;
        this.hooks = hooks;
        this.confinement = confinement;
        this.guard = new DestinationGuard(this.root);
    }

    /** A tree with no stat threads and the real file operations (tests, small jobs). */
    public static LocalTree at(Path root) {
        return new LocalTree(root, StatThreads.none(), LocalHooks.REAL);
    }

    public Path rootPath() {
        return root;
    }

    @Override
    public String root() {
        return root.toString();
    }

    @Override
    public String nameOf(RelPath path) {
        return path(path).toString();
    }

    @Override
    public RelPath relativize(String name) {
        Path p = root.getFileSystem().getPath(name);
        if (!p.startsWith(root)) {
            throw new IllegalArgumentException("'" + name + "' is not under " + root);
        }
        String rel = root.relativize(p).toString();
        return RelPath.of(java.io.File.separatorChar == '/' ? rel : rel.replace(java.io.File.separatorChar, '/'));
    }

    @Override
    public Optional<Path> localPath(RelPath path) {
        return Optional.of(path(path));
    }

    private Path path(RelPath rel) {
        return rel.isRoot() ? root : root.resolve(rel.toString());
    }

    @Override
    public boolean isLocalDisk() {
        if (localDisk == null) {
            localDisk = LocalFileSystem.isLocal(root);
        }
        return localDisk;
    }

    /**
     * The file system of the root, or of its nearest existing parent when it does not exist yet (a destination
     * created by the run lands there): what is mounted, its type, and its mount point (the top directory above the
     * root still on the same file system).
     */
    @Override
    public RootFileSystem fileSystem() throws IOException {
        return RootFileSystem.of(root);
    }

    @Override
    public WalkResult walk(WalkRules rules, Detail detail, WalkSink sink) throws InterruptedException {
        return walk(RelPath.ROOT, rules, detail, sink);
    }

    @Override
    public WalkResult walk(RelPath from, WalkRules rules, Detail detail, WalkSink sink) throws InterruptedException {
        return new LocalWalker(root, detail, rules, sink, confinement.isStrict() ? null
                : statThreads.poolFor(isLocalDisk()), statThreads.size(), confinement, guard).walk(from);
    }

    @Override
    public boolean isEmptyDirectory(RelPath rel) throws IOException {
        return confinement.resolving(() -> {
            Path dir = readable(path(rel));
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                return true;
            }
            try (java.nio.file.DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
                return !s.iterator().hasNext();
            }
        });
    }

    @Override
    public Optional<Entry> stat(RelPath rel, Detail detail) throws IOException {
        return confinement.resolving(() -> {
            Path p = readable(path(rel));
            MetadataReader.Stat stat;
            try {
                stat = detail == Detail.FULL ? MetadataReader.stat(p) : MetadataReader.statBasic(p);
            } catch (NoSuchFileException e) {
                return Optional.empty();
            }
            Optional<String> target = stat.kind() == EntryKind.SYMLINK
                    ? Optional.of(Files.readSymbolicLink(p).toString()) : Optional.empty();
            return Optional.of(new Entry(rel, stat.kind(), stat.metadata(), target, false, false));
        });
    }

    @Override
    public SourceFile openRead(RelPath rel, Detail detail) throws IOException {
        return confinement.resolving(() -> {
            Path p = readable(path(rel));
            MetadataReader.Stat stat = detail == Detail.FULL ? MetadataReader.stat(p) : MetadataReader.statBasic(p);
            if (stat.kind() != EntryKind.FILE) {
                throw new NotARegularFileException(p.toString());
            }
            return new LocalSourceFile(p, hooks.sourceOpener().open(p), stat.metadata(), detail);
        });
    }

    @Override
    public String hash(RelPath rel, HashAlgorithm algorithm) throws IOException {
        try (SourceFile in = openRead(rel, Detail.BASIC)) {
            HashAlgorithm.FileHasher hasher = algorithm.newHasher();
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocateDirect(FileDigest.BUFFER_BYTES);
            while (in.read(buffer) >= 0) {
                buffer.flip();
                hasher.update(buffer);
                buffer.clear();
            }
            return hasher.finishHex();
        }
    }

    @Override
    public TempFile createTemp(RelPath finalPath) throws IOException {
        Path temp = TempName.forFinal(path(finalPath));
        FileChannel channel;
        try {
            channel = confinement.resolving(() -> hooks.tempOpener().open(writable(temp)));
        } catch (NoSuchFileException e) {
            confinement.changingNames(() -> Files.createDirectories(writable(temp).getParent()));
            channel = confinement.resolving(() -> hooks.tempOpener().open(writable(temp)));
        }
        return new LocalTempFile(finalPath, temp, channel, timestamps, confinement, this::writable);
    }

    @Override
    public void createLinkTemp(RelPath finalPath, String target, Instant modified) throws IOException {
        confinement.changingNames(() -> {
            makeLinkTemp(writable(TempName.forFinal(path(finalPath))), target, modified);
            guard.forgetAll(); // a symlink now stands where a directory may have been
            return null;
        });
    }

    private static void makeLinkTemp(Path temp, String target, Instant modified) throws IOException {
        Files.createDirectories(temp.getParent());
        Files.deleteIfExists(temp);
        try {
            Files.createSymbolicLink(temp, temp.getFileSystem().getPath(target));
        } catch (UnsupportedOperationException e) {
            throw new IOException("symlinks are not supported here: " + e.getMessage(), e);
        }
        try {
            Files.getFileAttributeView(temp, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setTimes(FileTime.from(modified), null, null);
        } catch (IOException | UnsupportedOperationException ignored) {
            // some platforms cannot time a symlink itself; the link is still right
        }
    }

    @Override
    public CompletableFuture<Void> commit(RelPath finalPath) {
        try {
            confinement.changingNames(() -> {
                Path target = writable(path(finalPath));
                Path temp = TempName.forFinal(target);
                // a symlink (or a directory) renamed into place may stand where a directory was
                boolean notAFile = confinement.isStrict() && !Files.isRegularFile(temp, LinkOption.NOFOLLOW_LINKS);
                hooks.renamer().rename(temp, target);
                if (notAFile) {
                    guard.forgetAll();
                }
                return null;
            });
            return CompletableFuture.completedFuture(null);
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void abandon(RelPath finalPath) {
        try {
            confinement.changingNames(() -> {
                Path temp = writable(TempName.forFinal(path(finalPath)));
                boolean deleted = Files.deleteIfExists(temp);
                guard.forget(temp); // it may have been a (client-made) directory
                return deleted;
            });
        } catch (IOException ignored) {
            // swept by the next scan
        }
    }

    @Override
    public void writeSmallFile(RelPath rel, byte[] content) throws IOException {
        confinement.changingNames(() -> {
            Path file = writable(path(rel));
            Path temp = TempName.forFinal(file);
            try (var out = Files.newOutputStream(temp, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.TRUNCATE_EXISTING, java.nio.file.StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS)) {
                out.write(content);
            }
            try {
                hooks.renamer().rename(temp, file);
            } finally {
                Files.deleteIfExists(temp);
            }
            return null;
        });
    }

    @Override
    public boolean delete(RelPath rel) throws IOException {
        return confinement.changingNames(() -> {
            Path p = writable(path(rel));
            boolean deleted = Files.deleteIfExists(p); // a symlink is deleted as a link, never followed
            guard.forget(p);
            return deleted;
        });
    }

    @Override
    public void makeDirectories(RelPath rel) throws IOException {
        confinement.changingNames(() -> {
            if (rel.isRoot()) {
                Files.createDirectories(root); // the root may be a symlink: the user's choice
                return null;
            }
            Path dir = writable(path(rel));
            if (Files.isSymbolicLink(dir)) {
                throw new IOException(dir + " is a symlink in the destination; not writing through it");
            }
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(dir);
            }
            return null;
        });
    }

    @Override
    public Optional<Renamer> renamer() {
        return Optional.of(this::rename);
    }

    private void rename(RelPath from, RelPath to) throws IOException {
        confinement.changingNames(() -> {
            Path source = writable(path(from));
            Path target = writable(path(to));
            Files.createDirectories(target.getParent());
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !sameEntry(source, target)) {
                throw new java.nio.file.FileAlreadyExistsException(target.toString());
            }
            Files.move(source, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            guard.forgetAll(); // a directory (or a symlink) may have moved
            return null;
        });
    }

    /** A case-only rename on a case-insensitive file system: the target "exists" and is the source itself. */
    private static boolean sameEntry(Path a, Path b) throws IOException {
        return Files.exists(a, LinkOption.NOFOLLOW_LINKS) && Files.isSameFile(a, b);
    }

    @Override
    public void setTimes(RelPath rel, Instant modified, Instant accessed) throws IOException {
        confinement.resolving(() -> {
            Files.getFileAttributeView(writable(path(rel)), BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setTimes(FileTime.from(modified), FileTime.from(accessed), null);
            return null;
        });
    }

    /**
     * A path to read: under a strict confinement, refused when a directory on the way to it is a symlink (a local
     * sync reads what its scan found).
     */
    private Path readable(Path p) throws IOException {
        if (confinement.isStrict()) {
            Optional<Path> link = guard.symlinkOnTheWayTo(p);
            if (link.isPresent()) {
                throw new IOException("the directory " + link.get() + " is a symlink; not reading through it");
            }
        }
        return p;
    }

    /** A path to write or delete, refused when a directory on the way to it is a symlink. */
    private Path writable(Path p) throws IOException {
        Optional<Path> link = guard.symlinkOnTheWayTo(p);
        if (link.isPresent()) {
            throw new IOException("the destination directory " + link.get() + " is a symlink; not writing through it");
        }
        return p;
    }

    /** Applies a source's times to an entry: the mtime and atime, and where the platform allows the creation time. */
    public void stamp(RelPath rel, FileMetadata source) throws IOException {
        confinement.resolving(() -> {
            timestamps.apply(writable(path(rel)), source);
            return null;
        });
    }

    @Override
    public void close() {
        // nothing held: the stat threads belong to the job
    }

    @Override
    public String toString() {
        return root();
    }
}
