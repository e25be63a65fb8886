package dev.duplex.scan;

import dev.duplex.commit.TempName;
import dev.duplex.report.TransferListener;
import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * Walks one root on its own thread, in pre-order with each directory's children sorted by name (so that two walks
 * can be merged), handing entries to a bounded queue in batches and ending with {@link ScanBatch#END}. Symlinks
 * are reported, never followed. Unreadable directories and entries are reported and counted. The filters of its
 * {@link WalkRules} decide what is left out; an excluded directory is not entered (unless excluded entries are to
 * be reported).
 */
final class TreeWalker implements Callable<WalkResult> {
    /** How much to read per entry: everything (source) or size, mtime and kind (destination). */
    enum Detail { FULL, BASIC }

    private static final int BATCH_SIZE = 500;

    private final Path root;
    private final Detail detail;
    private final WalkRules rules;
    private final BlockingQueue<ScanBatch> out;
    private final TransferListener listener;
    private final Consumer<ScannedEntry> onEntry;
    private final ExecutorService statPool;
    private final int statThreads;
    private List<ScannedEntry> batch = new ArrayList<>(BATCH_SIZE);
    private long unreadable;
    private long excludedFiles;
    private long excludedBytes;
    private long excludedDirectories;

    /**
     * @param statPool threads that read entries' metadata ahead of the walk ({@link StatAhead}), shared with the
     *     other walks; null reads each entry on this walk's thread
     * @param statThreads how many threads {@code statPool} has
     */
    TreeWalker(Path root, Detail detail, WalkRules rules, BlockingQueue<ScanBatch> out, TransferListener listener,
               Consumer<ScannedEntry> onEntry, ExecutorService statPool, int statThreads) {
        this.root = root;
        this.rules = rules;
        this.statPool = statPool;
        this.statThreads = statThreads;
        this.detail = detail;
        this.out = out;
        this.listener = listener;
        this.onEntry = onEntry;
    }

    /** Walks the tree; returns what could not be read and what the filters left out. A missing root is empty. */
    @Override
    public WalkResult call() throws InterruptedException {
        boolean ended = false;
        try {
            if (Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
                walk(root, "", false);
            }
            flush();
            out.put(ScanBatch.END);
            ended = true;
            return new WalkResult(unreadable, excludedFiles, excludedBytes, excludedDirectories);
        } finally {
            if (!ended) {
                // the merger may be waiting for us; never leave it blocked
                out.offer(ScanBatch.END);
            }
        }
    }

    /** @param insideExcluded {@code dir} is excluded (entered only to report its entries as excluded) */
    private void walk(Path dir, String relative, boolean insideExcluded) throws InterruptedException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path child : stream) {
                names.add(child.getFileName().toString());
            }
        } catch (IOException e) {
            unreadable++;
            listener.warning("cannot list directory " + dir + ": " + describe(e) + " (its files are left out)");
            return;
        }
        names.sort(null);
        java.util.Set<String> siblings = rules.markerSuffix().isPresent() ? new java.util.HashSet<>(names) : null;
        StatAhead.StatFunction statFunction = detail == Detail.FULL ? MetadataReader::stat : MetadataReader::statBasic;
        try (StatAhead ahead = new StatAhead(dir, names, statFunction, statPool, statThreads)) {
            for (int i = 0; i < names.size(); i++) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("scan cancelled");
                }
                String name = names.get(i);
                StatAhead.Result read = ahead.get(i);
                if (read.error() instanceof NoSuchFileException) {
                    continue; // deleted while we walked: it is simply not there
                }
                if (read.error() != null) {
                    unreadable++;
                    listener.warning("cannot read " + dir.resolve(name) + ": " + describe(read.error())
                            + " (left out)");
                    continue;
                }
                MetadataReader.Stat stat = read.stat();
                if (relative.isEmpty() && rules.reservedRootName().filter(name::equals).isPresent()) {
                    reserved(dir.resolve(name));
                    continue;
                }
                boolean tempName = TempName.isTemp(name);
                EntryKind kind = tempName && (stat.kind() == EntryKind.FILE || stat.kind() == EntryKind.SYMLINK)
                        ? EntryKind.TEMP : stat.kind();
                String rel = relative.isEmpty() ? name : relative + File.separatorChar + name;
                boolean excluded = insideExcluded || (kind != EntryKind.TEMP && !rules.filter().isEmpty()
                        && rules.filter().excludes(slashed(rel), kind == EntryKind.DIRECTORY));
                if (excluded && rules.excluded() == WalkRules.Excluded.LEAVE_OUT) {
                    countExcluded(kind, stat);
                    continue;
                }
                if (!excluded && rules.sizeFilter() && kind == EntryKind.FILE
                        && rules.filter().excludesSize(stat.metadata().sizeBytes())) {
                    countExcluded(kind, stat);
                    excluded = true; // reported: the source has it, so it is no extra in a destination
                }
                boolean marked = siblings != null && kind == EntryKind.FILE
                        && siblings.contains(name + rules.markerSuffix().get());
                emit(new ScannedEntry(rel, kind, stat.metadata(), excluded, marked));
                if (kind == EntryKind.DIRECTORY) {
                    walk(dir.resolve(name), rel, excluded);
                }
            }
        }
    }

    private void countExcluded(EntryKind kind, MetadataReader.Stat stat) {
        if (kind == EntryKind.DIRECTORY) {
            excludedDirectories++;
        } else if (kind == EntryKind.FILE) {
            excludedFiles++;
            excludedBytes += stat.metadata().sizeBytes();
        }
    }

    /** The root entry named like the success marker: the marker in a destination; never copied from the source. */
    private void reserved(Path path) {
        if (detail == Detail.FULL) {
            listener.warning("not copying " + path + ": --success-marker writes that name in the destinations");
        }
    }

    /** The relative path as filters see it, with {@code /} between names on every platform. */
    static String slashed(String relative) {
        return File.separatorChar == '/' ? relative : relative.replace(File.separatorChar, '/');
    }

    private void emit(ScannedEntry entry) throws InterruptedException {
        onEntry.accept(entry);
        batch.add(entry);
        if (batch.size() >= BATCH_SIZE) {
            flush();
        }
    }

    private void flush() throws InterruptedException {
        if (!batch.isEmpty()) {
            out.put(new ScanBatch(batch, false));
            batch = new ArrayList<>(BATCH_SIZE);
        }
    }

    static String describe(IOException e) {
        String type = e.getClass().getSimpleName().replace("Exception", "");
        String reason = e.getMessage() == null ? "" : e.getMessage();
        if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
            reason = fse.getReason();
        }
        if (reason.contains("File name too long")) {
            reason += " (paths over the system's limit, 4096 bytes on Linux, cannot be opened by Java's file API)";
        }
        return reason.isEmpty() ? type : reason;
    }
}
