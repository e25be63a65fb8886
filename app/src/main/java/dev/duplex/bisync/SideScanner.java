package dev.duplex.bisync;

import dev.duplex.filter.FilterRule;
import dev.duplex.filter.PathFilter;
import dev.duplex.tree.Entry;
import dev.duplex.tree.RelPath;
import dev.duplex.tree.Tree;
import dev.duplex.tree.WalkResult;
import dev.duplex.tree.WalkRules;
import dev.duplex.tree.WalkSink;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/** Reads one side of a two-way job: every file, directory and symlink the filters keep, with its identity. */
public final class SideScanner {
    /** The trash directory at each root: never synced, scanned or counted. */
    public static final String TRASH = ".sync_trash";

    private SideScanner() {
    }

    /**
     * One side as a walk found it; {@code excluded}: files the size bounds leave out (the job leaves these paths
     * alone on both sides); {@code temps}: duplex temp files (an interrupted run's); {@code unreadable}: entries or directories that could not be read.
     */
    public record Side(Map<RelPath, Version> entries, Set<RelPath> excluded, List<RelPath> temps, long unreadable) {
    }

    /** The user's filters with the trash directory left out in front of them. */
    public static PathFilter withTrashExcluded(PathFilter user) {
        List<FilterRule> rules = new ArrayList<>();
        rules.add(FilterRule.parse(FilterRule.Action.EXCLUDE, "/" + TRASH + "/"));
        rules.addAll(user.rules());
        return new PathFilter(rules, user.minSizeBytes(), user.maxSizeBytes());
    }

    /** Walks {@code tree} below {@code from} (the root: the whole tree). */
    public static Side scan(Tree tree, RelPath from, PathFilter filter, Consumer<String> warnings)
            throws IOException, InterruptedException {
        Map<RelPath, Version> entries = new HashMap<>();
        Set<RelPath> excluded = new HashSet<>();
        List<RelPath> temps = new ArrayList<>();
        WalkRules rules = new WalkRules(filter, WalkRules.Excluded.SKIP, true, false, Optional.empty(), List.of(),
                Optional.empty());
        WalkSink sink = new WalkSink() {
            @Override
            public void entries(List<Entry> batch) {
                for (Entry e : batch) {
                    if (e.kind() == dev.duplex.tree.EntryKind.TEMP) {
                        temps.add(e.path());
                    } else if (e.excluded()) {
                        excluded.add(e.path());
                    } else {
                        Versions.of(e).ifPresent(v -> entries.put(e.path(), v));
                    }
                }
            }

            @Override
            public void warning(String message) {
                warnings.accept(message);
            }
        };
        WalkResult result = from.isRoot() ? tree.walk(rules, Tree.Detail.BASIC, sink)
                : tree.walk(from, rules, Tree.Detail.BASIC, sink);
        return new Side(entries, excluded, temps, result.unreadable());
    }
}
