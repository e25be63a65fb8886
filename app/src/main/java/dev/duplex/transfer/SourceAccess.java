package dev.duplex.transfer;

import dev.duplex.tree.LocalFileSystem;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * How the reader gets a large file's bytes. {@link #READ}: {@code read()} into pooled block buffers.
 * {@link #MAP}: each block is a read-only memory map of the source, which the writers write from, so the bytes are
 * not copied into a buffer first (on local disks: less kernel time and less run-to-run spread, docs/BENCHMARKS.md);
 * the first writer hashes what it wrote ({@link WrittenHash}). Files up to the small-buffer size, and every file
 * under --verify, are read.
 */
public enum SourceAccess {
    READ, MAP;

    /** What {@code --mmap} asks for. */
    public enum Choice { AUTO, ALWAYS, NEVER }

    /**
     * The access for a run. AUTO maps only on Linux, only when the source and every destination are on local file
     * systems (over a FUSE or network share a page fault fetches far less than a 5 MiB read does, and the first
     * destination's writer hashes its temp file through maps too), and on Windows never (a mapped file cannot be
     * truncated by its owner while we hold the map). Whatever the choice, a run under a bandwidth limit reads (the
     * limiter paces reads, and a mapped block is read by the writers' page faults, not by the reader), and so does
     * a run with --verify (which compares each temp file with the hash of what was read).
     */
    public static SourceAccess choose(Choice choice, dev.duplex.tree.Roots roots,
                                      boolean bandwidthLimited, boolean verify) {
        if (bandwidthLimited || verify) {
            return READ;
        }
        return switch (choice) {
            case NEVER -> READ;
            case AUTO -> isLinux() && onThisMachine(roots) && roots.source().isLocalDisk()
                    && roots.destinations().stream().allMatch(dev.duplex.tree.Tree::isLocalDisk) ? MAP : READ;
            // a map needs a file of this machine, and the first writer hashes its own temp file through one
            case ALWAYS -> onThisMachine(roots) ? MAP : READ;
        };
    }

    private static boolean isLinux() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
    }

    private static boolean onThisMachine(dev.duplex.tree.Roots roots) {
        dev.duplex.tree.RelPath root = dev.duplex.tree.RelPath.ROOT;
        return roots.source().localPath(root).isPresent()
                && roots.destinations().stream().allMatch(t -> t.localPath(root).isPresent());
    }

    static boolean isLocal(Path path) {
        return LocalFileSystem.isLocal(path);
    }
}
