package dev.duplex.remote.server;

import dev.duplex.digest.HashAlgorithm;
import dev.duplex.tree.RelPath;
import dev.duplex.tree.TempFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/**
 * A temp file being received: its bytes so far and the running hash of them. It belongs to one session at a time;
 * when that session's connection drops it is parked in the module's {@link Transfers}, temp file and hash state
 * kept, until the client resumes it on a new connection (or it expires).
 */
final class Receiving {
    final long transferId;
    final RelPath path;
    final HashAlgorithm algorithm;
    private final HashAlgorithm.FileHasher hasher;
    TempFile temp;
    long bytes;
    long acked;
    boolean failed;
    /** Closes the connection of the session that owns it (a resume from a new connection takes it over). */
    volatile Runnable owner = () -> { };
    Instant parkedAt;

    Receiving(long transferId, RelPath path, HashAlgorithm algorithm) {
        this.transferId = transferId;
        this.path = path;
        this.algorithm = algorithm;
        this.hasher = algorithm.newHasher();
    }

    /** Appends received bytes to the temp file and the hash. */
    void write(byte[] data) throws IOException {
        temp.write(ByteBuffer.wrap(data));
        hasher.update(ByteBuffer.wrap(data));
        bytes += data.length;
    }

    String receivedHash() {
        return hasher.finishHex();
    }

    /**
     * Finishes a received temp file when the hash of what arrived is the sender's; otherwise (or when finishing
     * fails) gives it up. Returns why it is not kept.
     */
    static Optional<String> complete(TempFile temp, String received, TempFile.Finish spec) {
        if (spec.hash().isPresent() && !spec.hash().get().equals(received)) {
            temp.abandon();
            return Optional.of("the data received hashes to " + received + ", but the sender read "
                    + spec.hash().get() + " (damaged on the way); not kept");
        }
        try {
            temp.finish(new TempFile.Finish(spec.source(), spec.fsync(), spec.reread(), spec.algorithm(),
                    Optional.of(received))).join();
            return Optional.empty();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return Optional.of(cause instanceof IOException io ? Replies.message(io) : cause.toString());
        }
    }
}
