package dev.duplex.remote.server;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * How the daemon serves.
 *
 * @param token the token clients must present; empty only with --no-auth on a loopback address
 * @param tls the TLS context to serve with, if any
 * @param maxConnections clients at once (each may open several connections); more are refused with a message
 * @param idleTimeout a connection silent this long is closed
 * @param software how the daemon names itself in the handshake
 */
public record ServerOptions(InetSocketAddress listen, Map<String, Module> modules, Optional<byte[]> token,
                            Optional<SSLContext> tls, int maxConnections, Duration handshakeTimeout,
                            Duration idleTimeout, String software) {
    public ServerOptions {
        modules = Map.copyOf(modules);
    }
}
