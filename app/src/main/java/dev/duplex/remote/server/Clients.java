package dev.duplex.remote.server;

import java.util.HashMap;
import java.util.Map;

/**
 * The clients connected now, by the id their connections share: {@code --max-connections} admits at most that many
 * clients (a sync opens several connections: one per transfer lane, one for names, one per walk), and each client
 * at most {@link #PER_CLIENT} connections. Thread-safe.
 */
final class Clients {
    static final int PER_CLIENT = 256;

    private final int max;
    private final Map<Long, Integer> connections = new HashMap<>();

    Clients(int max) {
        this.max = max;
    }

    /** Admits a connection of client {@code id}; empty when admitted, otherwise why not. */
    synchronized java.util.Optional<String> admit(long id) {
        Integer n = connections.get(id);
        if (n == null && connections.size() >= max) {
            return java.util.Optional.of("the daemon serves at most " + max + " clients at once; try again later");
        }
        if (n != null && n >= PER_CLIENT) {
            return java.util.Optional.of("at most " + PER_CLIENT + " connections of one client");
        }
        connections.merge(id, 1, Integer::sum);
        return java.util.Optional.empty();
    }

    synchronized void release(long id) {
        connections.computeIfPresent(id, (k, n) -> n <= 1 ? null : n - 1);
    }

    synchronized int count() {
        return connections.size();
    }
}
