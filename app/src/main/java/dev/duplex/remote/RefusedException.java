package dev.duplex.remote;

import dev.duplex.remote.protocol.Handshake;
import java.io.IOException;
import java.util.Optional;

/**
 * The daemon refused the connection (wrong token, unknown module, read-only module, too many clients, no common
 * protocol version), or the client cannot trust it: fatal for the run (exit 4), never retried.
 */
public final class RefusedException extends IOException {
    private final Optional<Handshake.Refusal> reason;

    RefusedException(Endpoint endpoint, Handshake.Refusal reason, String message) {
        super(endpoint.server() + " refused the connection: " + message);
        this.reason = Optional.of(reason);
    }

    RefusedException(Endpoint endpoint, String message) {
        super("cannot connect to " + endpoint.server() + ": " + message);
        this.reason = Optional.empty();
    }

    public Optional<Handshake.Refusal> reason() {
        return reason;
    }
}
