package dev.duplex.transfer;

import dev.duplex.tree.Entry;
import dev.duplex.tree.EntryKind;
import dev.duplex.tree.FileMetadata;
import dev.duplex.tree.SourceFile;
import dev.duplex.tree.Tree;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The checks of a source file around its read: has it changed while it was read (size, mtime, or the bytes the
 * read ended with), did the bytes that came from a daemon arrive as they were sent, and when did it last change
 * (for {@code --stable-for}). Shared by the reader, the writers and the commit stage.
 */
final class SourceChecks {
    /** Why a file whose size or mtime moved while it was copied is not committed (it is deferred, not failed). */
    static final String SOURCE_CHANGED =
            "source changed while it was being copied (size or mtime moved); it stays pending";

    private SourceChecks() {}

    /**
     * When the file last changed, for {@code --stable-for}: the latest of its mtime, ctime and creation time, so a
     * file written with an old mtime put back ({@code cp -p}, {@code tar x}, {@code rsync -t}) or whose size changed
     * without its mtime moving counts as changed when that happened.
     */
    static Instant lastChange(FileMetadata m) {
        Instant last = m.modified();
        for (Optional<Instant> t : List.of(m.changed(), m.created())) {
            if (t.isPresent() && t.get().isAfter(last)) {
                last = t.get();
            }
        }
        return last;
    }

    /**
     * The hash of what was read, once checked against the hash the source side computed of what it sent, when it
     * did (a file pulled from a daemon): bytes damaged on the way fail the file instead of being committed.
     */
    static String sameAsSent(FileTicket ticket, SourceFile file, String hash) throws IOException {
        if (!hash.equals(sameAsSentOrEmpty(file, hash))) {
            throw new IOException(damaged(ticket, file, hash));
        }
        return hash;
    }

    static String sameAsSentOrEmpty(SourceFile file, String hash) {
        return file.sourceHash().orElse(hash);
    }

    static String damaged(FileTicket ticket, SourceFile file, String hash) {
        return "the data received from " + ticket.sourceName() + " hashes to " + hash + ", but the sender read "
                + file.sourceHash().orElse("?") + " (damaged on the way); not kept";
    }

    /**
     * "" when the file is as it was when opened ({@link FileTicket#seen()}) and {@code bytesRead} is its whole size;
     * otherwise why it must not be committed.
     */
    static String changeDuringRead(FileTicket ticket, SourceFile file, long bytesRead) {
        try {
            return changed(ticket, file.metadataNow(), bytesRead);
        } catch (IOException e) {
            return "source vanished or became unreadable while it was being copied: " + describe(e);
        }
    }

    /** The same check, once the file is closed (the writers of a mapped file are done): the source is asked anew. */
    static String changeDuringRead(FileTicket ticket, long bytesRead) {
        try {
            return changed(ticket, ticket.roots().source().stat(ticket.path(), Tree.Detail.BASIC)
                    .filter(e -> e.kind() == EntryKind.FILE).map(Entry::metadata), bytesRead);
        } catch (IOException e) {
            return "source vanished or became unreadable while it was being copied: " + describe(e);
        }
    }

    private static String changed(FileTicket ticket, Optional<FileMetadata> now, long bytesRead) {
        FileMetadata seen = ticket.seen();
        if (now.isEmpty() || !now.get().sameVersionAs(seen) || bytesRead != seen.sizeBytes()) {
            return SOURCE_CHANGED;
        }
        return "";
    }

    static String describe(IOException e) {
        if (e instanceof FileSystemException fse) {
            String reason = fse.getReason() == null ? e.getClass().getSimpleName() : fse.getReason();
            return reason;
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
