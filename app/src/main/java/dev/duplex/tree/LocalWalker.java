package dev.duplex.tree;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * Walks a local directory tree for {@link LocalTree#walk}: pre-order, each directory's children sorted by name (so
 * that two walks can be merged), entries handed to the sink in batches. Symlinks are reported with their target
 * text, never followed. Unreadable directories and entries are reported and counted. The filters of its
 * {@link WalkRules} decide what is left out; an excluded directory is not entered (unless its entries are to be
 * reported). Used by one thread.
 */
final class LocalWalker {
    private static final int BATCH_SIZE = 500;

    private final Path root;
    private final Tree.Detail detail;
    private final WalkRules rules;
    private final WalkSink sink;
    private final ExecutorService statPool;
    private final int statThreads;
    private final Confinement confinement;
    private final DestinationGuard guard;
    private List<Entry> batch = new ArrayList<>(BATCH_SIZE);
    private long unreadable;
    private long excludedFiles;
    private long excludedBytes;
    private long excludedDirectories;

    /**
     * @param statPool threads that read entries' metadata ahead of the walk ({@link StatAhead}), shared with the
     *     other walks; null reads each entry on this walk's thread
     * @param statThreads how many threads {@code statPool} has
     */
    LocalWalker(Path root, Tree.Detail detail, WalkRules rules, WalkSink sink, ExecutorService statPool,
                int statThreads, Confinement confinement, DestinationGuard guard) {
        this.root = root;
        this.confinement = confinement;
        this.guard = guard;
        this.detail = detail;
        this.rules = rules;
        this.sink = sink;
        this.statPool = statPool;
        this.statThreads = statThreads;
    }

    /**
     * Walks the tree below {@code from}; returns what could not be read and what the filters left out. A missing
     * directory is empty.
     */
    WalkResult walk(RelPath from) throws InterruptedException {
        Path start = from.isRoot() ? root : root.resolve(from.toString());
        if (Files.isDirectory(start, LinkOption.NOFOLLOW_LINKS)) {
            walk(start, from, false);
        }
        flush();
        return new WalkResult(unreadable, excludedFiles, excludedBytes, excludedDirectories);
    }

    /** @param insideExcluded {@code dir} is excluded (entered only to report its entries as excluded) */
    private void walk(Path dir, RelPath relative, boolean insideExcluded) throws InterruptedException {
        if (confinement.isStrict()) {
            walkStrictly(dir, relative, insideExcluded);
            return;
        }
        List<String> names;
        try {
            names = list(dir);
        } catch (IOException e) {
            unreadable++;
            sink.warning("cannot list directory " + dir + ": " + describe(e) + " (its files are left out)");
            return;
        }
        Set<String> siblings = rules.markerSuffix().isPresent() || !rules.companionSuffixes().isEmpty()
                ? new HashSet<>(names) : null;
        StatAhead.StatFunction statFunction = detail == Tree.Detail.FULL ? MetadataReader::stat
                : MetadataReader::statBasic;
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
                    sink.warning("cannot read " + dir.resolve(name) + ": " + describe(read.error()) + " (left out)");
                    continue;
                }
                visit(dir, relative, name, read.stat(), insideExcluded, siblings);
            }
        }
    }

    private static List<String> list(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path child : stream) {
                names.add(child.getFileName().toString());
            }
        }
        names.sort(null);
        return names;
    }

    /** One entry of a directory read under a strict confinement: its metadata and link target, or the error. */
    private record Read(String name, StatAhead.Result result, Optional<String> linkTarget) {}

    /**
     * A module's directory ({@link Confinement#strict()}): listed, and every entry read, while no client can swap
     * the directory for a symlink (the names lock is held); then visited with the lock given back.
     */
    private void walkStrictly(Path dir, RelPath relative, boolean insideExcluded) throws InterruptedException {
        List<Read> reads;
        try {
            reads = confinement.resolving(() -> {
                if (guard.symlinkOnTheWayTo(dir).isPresent() || Files.isSymbolicLink(dir)) {
                    throw new IOException("a symlink on the way; not following it");
                }
                List<Read> out = new ArrayList<>();
                for (String name : list(dir)) {
                    out.add(readStrictly(dir, name));
                }
                return out;
            });
        } catch (IOException e) {
            unreadable++;
            sink.warning("cannot list directory " + dir + ": " + describe(e) + " (its files are left out)");
            return;
        }
        Set<String> siblings = new HashSet<>();
        reads.forEach(r -> siblings.add(r.name()));
        for (Read r : reads) {
            if (Thread.interrupted()) {
                throw new InterruptedException("scan cancelled");
            }
            if (r.result().error() instanceof NoSuchFileException) {
                continue;
            }
            if (r.result().error() != null) {
                unreadable++;
                sink.warning("cannot read " + dir.resolve(r.name()) + ": " + describe(r.result().error()) + " (left out)");
                continue;
            }
            visit(dir, relative, r.name(), r.result().stat(), insideExcluded, siblings, r.linkTarget());
        }
    }

    private Read readStrictly(Path dir, String name) {
        Path p = dir.resolve(name);
        try {
            MetadataReader.Stat stat = detail == Tree.Detail.FULL ? MetadataReader.stat(p) : MetadataReader.statBasic(p);
            Optional<String> target = Optional.empty();
            if (stat.kind() == EntryKind.SYMLINK) {
                target = Optional.of(Files.readSymbolicLink(p).toString());
            }
            return new Read(name, new StatAhead.Result(stat, null), target);
        } catch (IOException e) {
            return new Read(name, new StatAhead.Result(null, e), Optional.empty());
        }
    }

    private void visit(Path dir, RelPath relative, String name, MetadataReader.Stat stat, boolean insideExcluded,
                       Set<String> siblings) throws InterruptedException {
        visit(dir, relative, name, stat, insideExcluded, siblings, null);
    }

    /** @param linkTarget a symlink's target when already read (strict walks); null to read it here */
    private void visit(Path dir, RelPath relative, String name, MetadataReader.Stat stat, boolean insideExcluded,
                       Set<String> siblings, Optional<String> linkTarget) throws InterruptedException {
        if (relative.isRoot() && rules.reservedRootName().filter(name::equals).isPresent()) {
            if (rules.warnReserved()) {
                sink.warning("not copying " + dir.resolve(name) + ": --success-marker writes that name in the "
                        + "destinations");
            }
            return;
        }
        if (!RelPath.isValidName(name)) {
            unreadable++;
            sink.warning("cannot use the name of " + dir.resolve(name) + " (left out)");
            return;
        }
        EntryKind kind = TempName.isTemp(name) && (stat.kind() == EntryKind.FILE || stat.kind() == EntryKind.SYMLINK)
                ? EntryKind.TEMP : stat.kind();
        Optional<String> companionOf = kind == EntryKind.FILE && siblings != null ? companionOf(name, siblings)
                : Optional.empty();
        if (companionOf.isPresent()) {
            sink.warning("not copying " + dir.resolve(name) + ": the run writes its own file of that name beside "
                    + companionOf.get() + " (--sidecar or --ready-suffix)");
            return;
        }
        RelPath rel = relative.resolve(name);
        boolean excluded = insideExcluded || (kind != EntryKind.TEMP && !rules.filter().isEmpty()
                && rules.filter().excludes(rel.toString(), kind == EntryKind.DIRECTORY));
        if (excluded && !insideExcluded) {
            countExcluded(kind, stat);
        }
        if (excluded && rules.excluded() == WalkRules.Excluded.SKIP) {
            return;
        }
        if (!excluded && rules.sizeFilter() && kind == EntryKind.FILE
                && rules.filter().excludesSize(stat.metadata().sizeBytes())) {
            countExcluded(kind, stat);
            excluded = true; // reported: the source has it, so it is no extra in a destination
        }
        Optional<String> target = linkTarget != null ? linkTarget : Optional.empty();
        if (kind == EntryKind.SYMLINK && linkTarget == null) {
            try {
                target = Optional.of(Files.readSymbolicLink(dir.resolve(name)).toString());
            } catch (IOException e) {
                if (detail == Tree.Detail.FULL) {
                    unreadable++;
                    sink.warning("cannot read symlink " + dir.resolve(name) + ": " + describe(e) + " (left out)");
                    return;
                }
            }
        }
        boolean marked = rules.markerSuffix().isPresent() && kind == EntryKind.FILE
                && siblings.contains(name + rules.markerSuffix().get());
        emit(new Entry(rel, kind, stat.metadata(), target, excluded, marked));
        boolean enter = !excluded || rules.excluded() == WalkRules.Excluded.REPORT_AND_ENTER;
        if (kind == EntryKind.DIRECTORY && enter) {
            walk(dir.resolve(name), rel, excluded);
        }
    }

    /**
     * The entry {@code X} whose sidecar or marker would take this name ({@code X<suffix>}, both in the same
     * directory); empty for a name that is content.
     */
    private Optional<String> companionOf(String name, Set<String> siblings) {
        for (String suffix : rules.companionSuffixes()) {
            String base = name.endsWith(suffix) ? name.substring(0, name.length() - suffix.length()) : "";
            if (!base.isEmpty() && siblings.contains(base)) {
                return Optional.of(base);
            }
        }
        return Optional.empty();
    }

    private void countExcluded(EntryKind kind, MetadataReader.Stat stat) {
        if (kind == EntryKind.DIRECTORY) {
            excludedDirectories++;
        } else if (kind == EntryKind.FILE) {
            excludedFiles++;
            excludedBytes += stat.metadata().sizeBytes();
        }
    }

    private void emit(Entry entry) throws InterruptedException {
        batch.add(entry);
        if (batch.size() >= BATCH_SIZE) {
            flush();
        }
    }

    private void flush() throws InterruptedException {
        if (!batch.isEmpty()) {
            sink.entries(batch);
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
