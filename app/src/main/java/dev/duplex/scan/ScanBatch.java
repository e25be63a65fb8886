package dev.duplex.scan;

import dev.duplex.tree.Entry;
import java.util.List;

/** A run of entries from one walk, in walk order; the walk ends with {@link #END}. */
record ScanBatch(List<Entry> entries, boolean isEnd) {
    static final ScanBatch END = new ScanBatch(List.of(), true);
}
