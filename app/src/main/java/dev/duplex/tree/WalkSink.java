package dev.duplex.tree;

import java.util.List;

/** Where a walk puts what it finds; called on the walking thread, in walk order. */
public interface WalkSink {
    /** The next entries, in walk order. May block (a bounded queue): that is the walk's back-pressure. */
    void entries(List<Entry> batch) throws InterruptedException;

    /** A directory or entry that could not be read; its content is left out. */
    void warning(String message);
}
