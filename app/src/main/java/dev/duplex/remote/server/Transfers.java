package dev.duplex.remote.server;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The large files being received into a module, by the client's transfer id: owned by a session, parked when that
 * session's connection dropped (resumable from the bytes held), or ended (how, so that a client whose connection
 * dropped before the answer learns it when it asks again). Thread-safe.
 */
final class Transfers {
    /** A parked transfer nobody resumes is given up after this long. */
    static final Duration PARK_TIME = Duration.ofMinutes(10);
    private static final int ENDED_KEPT = 4096;

    /** What a resume finds: the transfer to go on with, or how it ended, or nothing. */
    record Claim(Optional<Receiving> parked, Optional<String> endedWith) {}

    private final Map<Long, Receiving> owned = new HashMap<>();
    private final Map<Long, Receiving> parked = new HashMap<>();
    private final Map<Long, String> ended = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, String> eldest) {
            return size() > ENDED_KEPT;
        }
    };

    synchronized boolean isKnown(long transferId) {
        return owned.containsKey(transferId) || parked.containsKey(transferId) || ended.containsKey(transferId);
    }

    synchronized void own(Receiving r) {
        parked.remove(r.transferId);
        owned.put(r.transferId, r);
    }

    /** Its session's connection is gone: keep it for a resume. */
    synchronized void park(Receiving r, Instant now) {
        if (owned.remove(r.transferId) == r) {
            r.parkedAt = now;
            parked.put(r.transferId, r);
            notifyAll();
        }
    }

    /** It ended: "" when the file was finished and kept, otherwise why not. */
    synchronized void end(Receiving r, String outcome) {
        owned.remove(r.transferId);
        parked.remove(r.transferId);
        ended.put(r.transferId, outcome);
    }

    /**
     * Takes a transfer over for a resume. One still owned by another session (whose connection this side has not
     * yet seen drop) is taken from it: that connection is closed, and the transfer waits up to {@code wait} to be
     * parked.
     */
    synchronized Claim claim(long transferId, Duration wait) throws InterruptedException {
        Receiving busy = owned.get(transferId);
        if (busy != null) {
            busy.owner.run();
            long deadline = System.nanoTime() + wait.toNanos();
            while (owned.containsKey(transferId)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return new Claim(Optional.empty(), Optional.empty());
                }
                wait(Math.max(1, left / 1_000_000));
            }
        }
        Receiving r = parked.remove(transferId);
        if (r != null) {
            return new Claim(Optional.of(r), Optional.empty());
        }
        return new Claim(Optional.empty(), Optional.ofNullable(ended.get(transferId)));
    }

    /** Removes and returns the parked transfers of {@code path}: a new temp file of it is being made. */
    synchronized List<Receiving> superseded(dev.duplex.tree.RelPath path) {
        List<Receiving> gone = new ArrayList<>();
        parked.values().removeIf(r -> {
            if (r.path.equals(path)) {
                gone.add(r);
                return true;
            }
            return false;
        });
        return gone;
    }

    /** Removes and returns the parked transfers older than {@link #PARK_TIME} (all of them with {@code all}). */
    synchronized List<Receiving> expire(Instant now, boolean all) {
        List<Receiving> gone = new ArrayList<>();
        parked.values().removeIf(r -> {
            boolean old = all || r.parkedAt.plus(PARK_TIME).isBefore(now);
            if (old) {
                gone.add(r);
            }
            return old;
        });
        return gone;
    }
}
