package dev.duplex.remote.server;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Connections that have not yet shaken hands (no token checked): at most {@link #TOTAL} at once, and at most
 * {@link #PER_ADDRESS} from one address, so that idle or slow connections from one place cannot hold every slot
 * (the way sshd's MaxStartups works). Beyond that a new connection is closed at once. Thread-safe.
 */
final class Handshakes {
    static final int TOTAL = 128;
    static final int PER_ADDRESS = 16;

    private final Map<InetAddress, Integer> byAddress = new HashMap<>();
    private int total;

    synchronized boolean tryEnter(InetAddress from) {
        int n = byAddress.getOrDefault(from, 0);
        if (total >= TOTAL || n >= PER_ADDRESS) {
            return false;
        }
        byAddress.put(from, n + 1);
        total++;
        return true;
    }

    synchronized int waiting() {
        return total;
    }

    synchronized void leave(InetAddress from) {
        Integer n = byAddress.get(from);
        if (n == null) {
            return;
        }
        if (n <= 1) {
            byAddress.remove(from);
        } else {
            byAddress.put(from, n - 1);
        }
        total--;
    }
}
