package dev.duplex.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a job leaves out: the {@code --include}/{@code --exclude} rules in the order given (the first that matches
 * decides; a path no rule matches is included) and the {@code --min-size}/{@code --max-size} bounds of regular
 * files (a file of exactly a bound is kept). Pure and immutable; paths are relative to the root, {@code /}-separated.
 * Walks ask {@link #excludes} of each entry and do not descend into an excluded directory, so a path is left out
 * when it or any directory above it is excluded ({@link #excludesPath} checks all of them at once).
 */
public final class PathFilter {
    /** Leaves nothing out. */
    public static final PathFilter NONE = new PathFilter(List.of(), OptionalLong.empty(), OptionalLong.empty());

    private final List<FilterRule> rules;
    private final OptionalLong minSizeBytes;
    private final OptionalLong maxSizeBytes;
    private final Optional<Shard> shard;

    public PathFilter(List<FilterRule> rules, OptionalLong minSizeBytes, OptionalLong maxSizeBytes) {
        this(rules, minSizeBytes, maxSizeBytes, Optional.empty());
    }

    /** @param shard {@code --shard K/N}: files of other slots are left out as if excluded (directories never) */
    public PathFilter(List<FilterRule> rules, OptionalLong minSizeBytes, OptionalLong maxSizeBytes,
                      Optional<Shard> shard) {
        this.rules = List.copyOf(rules);
        this.minSizeBytes = minSizeBytes;
        this.maxSizeBytes = maxSizeBytes;
        this.shard = shard;
    }

    /** This filter, also leaving out the files of the other slots of {@code shard}. */
    public PathFilter withShard(Shard s) {
        return new PathFilter(rules, minSizeBytes, maxSizeBytes, Optional.of(s));
    }

    public Optional<Shard> shard() {
        return shard;
    }

    /** Whether nothing is ever left out (the walks then skip every check). */
    public boolean isEmpty() {
        return rules.isEmpty() && minSizeBytes.isEmpty() && maxSizeBytes.isEmpty() && shard.isEmpty();
    }

    /**
     * Whether the rules (or the shard) leave out the entry at {@code relative}, its directories assumed included.
     */
    public boolean excludes(String relative, boolean isDirectory) {
        if (!isDirectory && shard.isPresent() && !shard.get().holds(relative)) {
            return true;
        }
        for (FilterRule rule : rules) {
            if (rule.matches(relative, isDirectory)) {
                return rule.action() == FilterRule.Action.EXCLUDE;
            }
        }
        return false;
    }

    /** Whether the size bounds leave out a regular file of {@code sizeBytes}. */
    public boolean excludesSize(long sizeBytes) {
        return (minSizeBytes.isPresent() && sizeBytes < minSizeBytes.getAsLong())
                || (maxSizeBytes.isPresent() && sizeBytes > maxSizeBytes.getAsLong());
    }

    /**
     * Whether the entry at {@code relative} is left out, by itself or through a directory above it: what a walk
     * would decide, for a path looked at on its own (the live re-check before a mirror delete).
     *
     * @param fileSize the size when the entry is a regular file; empty for anything else
     */
    public boolean excludesPath(String relative, boolean isDirectory, OptionalLong fileSize) {
        for (int slash = relative.indexOf('/'); slash >= 0; slash = relative.indexOf('/', slash + 1)) {
            if (excludes(relative.substring(0, slash), true)) {
                return true;
            }
        }
        return excludes(relative, isDirectory) || (fileSize.isPresent() && excludesSize(fileSize.getAsLong()));
    }

    /**
     * The filter as command-line options, in a canonical form: the job records it, a run with another one scans
     * again, and {@code status} shows it. Empty when nothing is left out.
     */
    public String describe() {
        List<String> parts = new ArrayList<>();
        for (FilterRule r : rules) {
            parts.add(r.action().option() + " " + quoted(r.text()));
        }
        minSizeBytes.ifPresent(b -> parts.add("--min-size " + b));
        maxSizeBytes.ifPresent(b -> parts.add("--max-size " + b));
        shard.ifPresent(s -> parts.add("--shard " + s));
        return String.join(" ", parts);
    }

    /** A shell word: single-quoted, an inner quote as {@code '\''}. */
    static String quoted(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    public List<FilterRule> rules() {
        return rules;
    }

    public OptionalLong minSizeBytes() {
        return minSizeBytes;
    }

    public OptionalLong maxSizeBytes() {
        return maxSizeBytes;
    }

    @Override
    public String toString() {
        return isEmpty() ? "(no filters)" : describe();
    }
}
