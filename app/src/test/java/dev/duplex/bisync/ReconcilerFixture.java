package dev.duplex.bisync;

import dev.duplex.tree.RelPath;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/** Recorded state and both sides' trees for a reconcile, built up by each test. */
abstract class ReconcilerFixture {
    static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
    static final Instant T1 = T0.plusSeconds(3600);
    static final Instant T2 = T0.plusSeconds(7200);

    final Map<RelPath, Recorded> records = new HashMap<>();
    final Map<RelPath, Version> left = new HashMap<>();
    final Map<RelPath, Version> right = new HashMap<>();
    ReconcileOptions options = ReconcileOptions.defaults(ZoneOffset.UTC);

    static RelPath p(String path) {
        return RelPath.of(path);
    }

    static Version file(long size, Instant modified, String hash) {
        return Version.file(size, modified).withHash(hash);
    }

    Map<RelPath, Version> now(Side side) {
        return side == Side.LEFT ? left : right;
    }

    /** The path as both sides had it at the end of the last run and still have it: recorded and unchanged. */
    void synced(String path, Version v) {
        Version l = v.isFile() ? v.withFileId("L" + path) : v;
        Version r = v.isFile() ? v.withFileId("R" + path) : v;
        records.put(p(path), Recorded.both(l, r));
        left.put(p(path), l);
        right.put(p(path), r);
    }

    Plan plan() {
        return Reconciler.reconcile(records, left, right, options);
    }
}
