package dev.duplex.remote.protocol;

import java.io.IOException;

/** The peer broke the protocol: a frame too long, of an unknown type, cut short, or with a bad field. */
public final class ProtocolException extends IOException {
    public ProtocolException(String message) {
        super(message);
    }
}
