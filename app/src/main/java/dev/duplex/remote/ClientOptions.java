package dev.duplex.remote;

import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * How a client connects to daemons: the token it presents, how it trusts a TLS daemon, and how it retries a
 * connection that drops.
 *
 * @param tls the trust for {@code duplexs://} endpoints (by CA or by pin); empty refuses them
 * @param receiveBufferBytes a socket receive buffer to ask for (0: the system's): small under a bandwidth limit,
 *     so a daemon cannot send far ahead of the paced reads
 * @param smallFileBytes files up to this size travel many to a request, and are committed in batches
 * @param clientId shared by every connection of this process: a daemon counts clients by it
 */
public record ClientOptions(Optional<String> token, Optional<SSLContext> tls, boolean verifyHostName, int retries,
                            Duration retryWait, Duration connectTimeout, int receiveBufferBytes, int smallFileBytes,
                            String software, long clientId) {
    private static final long PROCESS_ID = new java.security.SecureRandom().nextLong();

    /** The id of this process's connections. */
    public static long processClientId() {
        return PROCESS_ID;
    }

    /** No token, no TLS trust, no retry: for local-only jobs and tests. */
    public static ClientOptions none() {
        return new ClientOptions(Optional.empty(), Optional.empty(), false, 0, Duration.ofSeconds(1),
                Duration.ofSeconds(30), 0, 64 * 1024, "duplex", PROCESS_ID);
    }
}
