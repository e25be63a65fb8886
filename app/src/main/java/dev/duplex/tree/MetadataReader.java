package dev.duplex.tree;

import dev.duplex.tree.FileMetadata;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a path's kind and metadata in one stat, never following symlinks. Uses the "unix" attribute view where
 * the platform has it (for ctime and the mode bits), the basic view elsewhere.
 */
public final class MetadataReader {
    private static final String UNIX_ATTRS =
            "unix:size,lastModifiedTime,lastAccessTime,creationTime,ctime,mode,isDirectory,isRegularFile,isSymbolicLink";
    private static final boolean HAS_UNIX_VIEW =
            FileSystems.getDefault().supportedFileAttributeViews().contains("unix");

    /** What a path is and its metadata. */
    public record Stat(EntryKind kind, FileMetadata metadata) {}

    private MetadataReader() {}

    public static Stat stat(Path path) throws IOException {
        if (HAS_UNIX_VIEW) {
            Map<String, Object> a = Files.readAttributes(path, UNIX_ATTRS, LinkOption.NOFOLLOW_LINKS);
            EntryKind kind = (Boolean) a.get("isSymbolicLink") ? EntryKind.SYMLINK
                    : (Boolean) a.get("isDirectory") ? EntryKind.DIRECTORY
                    : (Boolean) a.get("isRegularFile") ? EntryKind.FILE : EntryKind.OTHER;
            int mode = (Integer) a.get("mode");
            FileTime modified = (FileTime) a.get("lastModifiedTime");
            FileTime created = (FileTime) a.get("creationTime");
            FileMetadata m = new FileMetadata((Long) a.get("size"), modified.toInstant(),
                    ((FileTime) a.get("lastAccessTime")).toInstant(),
                    created == null || created.equals(modified) ? Optional.empty() : Optional.of(created.toInstant()),
                    Optional.of(((FileTime) a.get("ctime")).toInstant()),
                    octal(mode & 07777));
            return new Stat(kind, m);
        }
        BasicFileAttributes b = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        EntryKind kind = b.isSymbolicLink() ? EntryKind.SYMLINK
                : b.isDirectory() ? EntryKind.DIRECTORY
                : b.isRegularFile() ? EntryKind.FILE : EntryKind.OTHER;
        FileMetadata m = new FileMetadata(b.size(), b.lastModifiedTime().toInstant(), b.lastAccessTime().toInstant(),
                Optional.of(b.creationTime().toInstant()), Optional.empty(), dosPermissions(path));
        return new Stat(kind, m);
    }

    /** Mode bits as four octal digits, {@code 0644}; String.format cost more than the stat itself. */
    static String octal(int bits) {
        String digits = Integer.toOctalString(bits);
        return "0000".substring(Math.min(4, digits.length())) + digits;
    }

    /**
     * Size, mtime and kind (enough for the destination side of the skip decision), and the file's identity where
     * the platform tells it (on Linux its device and inode: the same attribute read).
     */
    public static Stat statBasic(Path path) throws IOException {
        BasicFileAttributes b = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        EntryKind kind = b.isSymbolicLink() ? EntryKind.SYMLINK
                : b.isDirectory() ? EntryKind.DIRECTORY
                : b.isRegularFile() ? EntryKind.FILE : EntryKind.OTHER;
        Instant mtime = b.lastModifiedTime().toInstant();
        Object key = b.fileKey();
        return new Stat(kind, new FileMetadata(b.size(), mtime, b.lastAccessTime().toInstant(), Optional.empty(),
                Optional.empty(), "", key == null ? Optional.empty() : Optional.of(key.toString())));
    }

    private static String dosPermissions(Path path) {
        try {
            Object readOnly = Files.getAttribute(path, "dos:readonly", LinkOption.NOFOLLOW_LINKS);
            return Boolean.TRUE.equals(readOnly) ? "readonly" : "";
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "";
        }
    }
}
