package dev.duplex.bisync;

import dev.duplex.backlog.PairRow;
import dev.duplex.backlog.SideRow;
import dev.duplex.tree.Entry;
import dev.duplex.tree.EntryKind;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Between the reconciler's {@link Version}s and what walks find and the db keeps. */
public final class Versions {
    private Versions() {
    }

    /** The version a walk or a stat found; empty for what a two-way sync does not keep (temps, FIFOs, devices). */
    public static Optional<Version> of(Entry e) {
        EntryKind kind = e.kind();
        if (kind != EntryKind.FILE && kind != EntryKind.DIRECTORY && kind != EntryKind.SYMLINK) {
            return Optional.empty();
        }
        return Optional.of(new Version(kind, kind == EntryKind.FILE ? e.metadata().sizeBytes() : 0,
                e.metadata().modified(), Optional.empty(), e.metadata().fileId(),
                kind == EntryKind.SYMLINK ? e.linkTarget() : Optional.empty()));
    }

    static SideRow row(Version v) {
        return new SideRow(v.kind(), v.size(), v.modified(), v.hash(), v.fileId(), v.linkTarget());
    }

    static Version version(SideRow r) {
        return new Version(r.kind(), r.size(), r.modified(), r.hash(), r.fileId(), r.linkTarget());
    }

    /**
     * The recorded state as the reconciler reads it. Hashes written with another algorithm than {@code algoPrefix}
     * ({@code sha256:}) are left out: they cannot be compared with this run's.
     */
    public static Map<dev.duplex.tree.RelPath, Recorded> recorded(Map<dev.duplex.tree.RelPath, PairRow> rows,
                                                                  String algoPrefix) {
        Map<dev.duplex.tree.RelPath, Recorded> out = new HashMap<>(rows.size() * 2);
        rows.forEach((path, row) -> out.put(path, new Recorded(
                row.left().map(Versions::version).map(v -> sameAlgo(v, algoPrefix)),
                row.right().map(Versions::version).map(v -> sameAlgo(v, algoPrefix)))));
        return out;
    }

    private static Version sameAlgo(Version v, String algoPrefix) {
        if (v.hash().isEmpty() || v.hash().get().startsWith(algoPrefix)) {
            return v;
        }
        return new Version(v.kind(), v.size(), v.modified(), Optional.empty(), v.fileId(), v.linkTarget());
    }
}
