package dev.duplex.cli;

import dev.duplex.remote.ClientOptions;
import dev.duplex.remote.Tls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The client's side of {@code duplex://} and {@code duplexs://} endpoints: the token, how a TLS daemon is trusted,
 * and how small files are batched. Only read when a root is an endpoint.
 */
public final class RemoteOptions {
    static final String TOKEN_VARIABLE = "DUPLEX_TOKEN";

    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "For duplex:// and duplexs:// endpoints: the daemon's token, the first line of FILE "
                    + "(keep it readable by you only). Or set the environment variable DUPLEX_TOKEN.")
    private Path tokenFile;

    @Option(names = "--tls-ca", paramLabel = "PEM",
            description = "Trust a duplexs:// daemon whose certificate is signed by this CA (or is this "
                    + "certificate); its name must match the endpoint's host.")
    private Path tlsCa;

    @Option(names = "--tls-pin", paramLabel = "SHA256",
            description = "Trust a duplexs:// daemon whose certificate has this SHA-256 fingerprint (64 hex digits, "
                    + "as 'duplex serve' prints it). Without --tls-ca or --tls-pin, duplexs:// is refused.")
    private String tlsPin;

    @Option(names = "--small-file-size", paramLabel = "SIZE", defaultValue = "256K", converter = SizeConverter.class,
            description = "With an endpoint: files up to SIZE travel many to a request and are committed in "
                    + "batches (0: every file on its own). Default: ${DEFAULT-VALUE}.")
    private long smallFileBytes;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", defaultValue = "30s",
            converter = DurationConverter.class,
            description = "With an endpoint: give up a connection attempt (and its handshake) after this long. "
                    + "Default: ${DEFAULT-VALUE}.")
    private Duration connectTimeout;

    /**
     * How to reach daemons.
     *
     * @param retries {@code --retries}: a connection that fails is opened again this many times
     * @param bwlimit {@code --bwlimit} in bytes per second (0: none): a limited pull asks for a small receive
     *     buffer, so the daemon cannot run far ahead of the paced reads
     * @throws ParameterException (exit 2) for an unreadable token file or a bad pin or CA
     */
    ClientOptions client(Map<String, String> env, int retries, Duration retryWait, long bwlimit, boolean anyRemote) {
        if (smallFileBytes < 0 || smallFileBytes > 1024 * 1024) {
            throw usage("--small-file-size must be between 0 and 1M, not " + smallFileBytes + " bytes");
        }
        if (connectTimeout.isZero() || connectTimeout.isNegative()) {
            throw usage("--connect-timeout must be longer than 0");
        }
        if (tlsCa != null && tlsPin != null) {
            throw usage("give --tls-ca or --tls-pin, not both");
        }
        Optional<String> token = Optional.empty();
        Optional<SSLContext> tls = Optional.empty();
        if (anyRemote) {
            try {
                token = tokenFile != null ? Optional.of(readToken(tokenFile))
                        : Optional.ofNullable(env.get(TOKEN_VARIABLE)).map(String::strip).filter(t -> !t.isEmpty());
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
            tls = trust();
        }
        // a pull under --bwlimit: a receive buffer (and frames) of ~15 ms at the limit, so what the daemon can send
        // ahead of the paced reads is a short burst on the wire, not seconds of it
        int receiveBuffer = bwlimit > 0 ? (int) Math.max(8 * 1024, Math.min(1 << 20, bwlimit / 64)) : 0;
        return new ClientOptions(token, tls, tlsCa != null, retries, retryWait, connectTimeout, receiveBuffer,
                (int) smallFileBytes, "duplex " + VersionProvider.version(), ClientOptions.processClientId());
    }

    private Optional<SSLContext> trust() {
        try {
            if (tlsPin != null) {
                if (!Tls.isFingerprint(tlsPin)) {
                    throw usage("--tls-pin '" + tlsPin + "' is not a SHA-256 fingerprint (64 hex digits)");
                }
                return Optional.of(Tls.pinning(tlsPin));
            }
            if (tlsCa != null) {
                return Optional.of(Tls.trustingCa(tlsCa));
            }
            return Optional.empty();
        } catch (IOException | GeneralSecurityException e) {
            throw usage("--tls-ca " + tlsCa + ": " + e.getMessage());
        }
    }

    /** The token: the file's first line, without its line end. */
    static String readToken(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            String first = text.lines().findFirst().orElse("").strip();
            if (first.isEmpty()) {
                throw new IOException("its first line is empty");
            }
            return first;
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new IllegalArgumentException("cannot read the token file " + file + ": "
                    + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()), e);
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(mixee.commandLine(), message);
    }
}
