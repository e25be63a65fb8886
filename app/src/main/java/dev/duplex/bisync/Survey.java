package dev.duplex.bisync;

import dev.duplex.tree.RelPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One pass over the recorded state and both sides that finds the few paths a reconcile must look at beyond the
 * records: files gone from a side and files new on a side (the rename candidates), and the paths nobody recorded.
 * On a run where little changed these lists are short, so rename detection costs nothing per unchanged path.
 */
record Survey(List<RelPath> goneLeft, List<RelPath> goneRight, List<RelPath> newLeft, List<RelPath> newRight,
              List<RelPath> unrecorded) {

    static Survey of(Map<RelPath, Recorded> records, Map<RelPath, Version> left, Map<RelPath, Version> right) {
        Survey s = new Survey(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                new ArrayList<>());
        records.forEach((path, rec) -> {
            if (identified(rec.left().orElse(null)) && !left.containsKey(path)) {
                s.goneLeft.add(path);
            }
            if (identified(rec.right().orElse(null)) && !right.containsKey(path)) {
                s.goneRight.add(path);
            }
        });
        left.forEach((path, v) -> {
            Recorded rec = records.get(path);
            if (rec == null) {
                s.unrecorded.add(path);
            }
            if ((rec == null || rec.left().isEmpty()) && identified(v)) {
                s.newLeft.add(path);
            }
        });
        right.forEach((path, v) -> {
            Recorded rec = records.get(path);
            if (rec == null && !left.containsKey(path)) {
                s.unrecorded.add(path);
            }
            if ((rec == null || rec.right().isEmpty()) && identified(v)) {
                s.newRight.add(path);
            }
        });
        return s;
    }

    List<RelPath> gone(Side side) {
        return side == Side.LEFT ? goneLeft : goneRight;
    }

    List<RelPath> created(Side side) {
        return side == Side.LEFT ? newLeft : newRight;
    }

    /** A file with a file identity: what a rename can be told by. */
    private static boolean identified(Version v) {
        return v != null && v.isFile() && v.fileId().isPresent();
    }
}
