package dev.duplex.report;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One host's run on a shared (PostgreSQL) job, for {@code status}: who ({@code host/pid}), when, how it ended (empty
 * while running or after it died), what it copied so far, how long since its last heartbeat, and what it holds now.
 */
public record HostRun(String worker, Instant started, Optional<Instant> ended, Optional<String> outcome,
                      long filesCopied, long bytesCopied, Optional<Duration> silentFor, long filesHeld,
                      long bytesHeld) {

    /** Bytes per second from the start to the end, or to the last heartbeat. */
    public double rate() {
        Instant until = ended.orElseGet(() -> Instant.now().minus(silentFor.orElse(Duration.ZERO)));
        double seconds = Math.max(Duration.between(started, until).toMillis(), 1) / 1000.0;
        return bytesCopied / seconds;
    }
}
