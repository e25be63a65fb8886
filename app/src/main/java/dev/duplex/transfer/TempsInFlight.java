package dev.duplex.transfer;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which files have a temp file on each destination right now, from the moment a writer creates it until it is
 * renamed into place or deleted. A write that runs out of space while another file's temp is on the same
 * destination says nothing about the destination as a whole: the other temp may be what took the space, and the
 * file may fit once it is gone. Thread-safe: writers add and remove, the commit stage removes.
 */
final class TempsInFlight {
    private final List<Set<FileTicket>> perDestination;

    TempsInFlight(int destinations) {
        perDestination = java.util.stream.IntStream.range(0, destinations)
                .<Set<FileTicket>>mapToObj(i -> ConcurrentHashMap.newKeySet()).toList();
    }

    void add(int destIndex, FileTicket file) {
        perDestination.get(destIndex).add(file);
    }

    void remove(int destIndex, FileTicket file) {
        perDestination.get(destIndex).remove(file);
    }

    /** Whether a file other than {@code file} has a temp on the destination. */
    boolean othersThan(int destIndex, FileTicket file) {
        for (FileTicket t : perDestination.get(destIndex)) {
            if (t != file) {
                return true;
            }
        }
        return false;
    }

    /** ENOSPC and EDQUOT, as Linux, macOS and Windows word them. */
    static boolean isOutOfSpace(IOException e) {
        String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        return m.contains("no space left on device") || m.contains("disk quota exceeded")
                || m.contains("not enough space on the disk");
    }
}
