package dev.duplex.scan;

import java.util.List;

/** A run of entries from one walk, in walk order; the walk ends with {@link #END}. */
record ScanBatch(List<ScannedEntry> entries, boolean isEnd) {
    static final ScanBatch END = new ScanBatch(List.of(), true);
}
