package dev.duplex.watch;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code --watch}'s settings.
 *
 * @param debounce how long a path must be quiet before it is synced
 * @param fullScanInterval how often a full reconcile runs whatever the events say
 * @param health where {@code GET /health} is served, if anywhere
 * @param largeFile files at least this large are synced in a lane of their own, so small ones do not wait
 */
public record WatchSettings(Duration debounce, Duration fullScanInterval, Optional<InetSocketAddress> health,
                            long largeFile) {
    public static final long DEFAULT_LARGE_FILE = 8L << 20;
}
