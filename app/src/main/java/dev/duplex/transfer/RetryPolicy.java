package dev.duplex.transfer;

import java.time.Duration;

/**
 * How often and how patiently to retry opening a source file that fails for a transient reason:
 * {@code retries} more attempts, waiting {@code firstWait}, then twice as long each time.
 */
public record RetryPolicy(int retries, Duration firstWait, Sleeper sleeper) {
    /** Waits between attempts; a seam so tests do not wait. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;

        Sleeper REAL = d -> Thread.sleep(d.toMillis());
    }

    public static RetryPolicy none() {
        return new RetryPolicy(0, Duration.ZERO, Sleeper.REAL);
    }
}
