package dev.duplex.cli;

import dev.duplex.remote.Tls;
import dev.duplex.remote.protocol.Handshake;
import dev.duplex.remote.server.DuplexServer;
import dev.duplex.remote.server.Module;
import dev.duplex.remote.server.ServerOptions;
import dev.duplex.report.DiagnosticLog;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.SSLContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code duplex serve}: the daemon that lets other machines push to and pull from its modules. */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        header = "Serves directories (modules) to duplex clients: push, pull, mirror.",
        description = {
            "Listens for duplex clients (duplex://HOST[:PORT]/MODULE[/PATH], or duplexs:// with TLS) and serves the "
                    + "modules it is given: clients walk, read and write them as a sync does a local directory "
                    + "(temp file + rename; the daemon hashes what it receives and keeps a file only when that hash "
                    + "is the sender's). Nothing outside a module's directory is ever read or written; symlinks "
                    + "inside it are never followed. Runs in the foreground and logs to standard error; SIGTERM "
                    + "or Ctrl-C stops it cleanly (exit 0) and removes temp files clients left unfinished.",
            ""},
        footer = {
            "",
            "Exit codes: 0 stopped by SIGTERM/SIGINT, 2 usage error, 4 cannot listen or cannot read the TLS "
                    + "files.",
            "",
            "Examples:",
            "  duplex serve --listen 0.0.0.0:9031 --module data=/srv/data --token-file /etc/duplex/token",
            "  duplex serve --listen 0.0.0.0:9031 --module data=/srv/data --read-only data \\",
            "      --token-file /etc/duplex/token --tls-self-signed /var/lib/duplex/tls",
            "  duplex serve --no-auth --module scratch=/tmp/scratch       (loopback only)",
            "  client: duplex --token-file t /local/tree duplex://server/data/tree",
            "Firewall: open TCP 9031 (or the --listen port) to the clients only."})
public final class ServeCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9031",
            description = "Address to listen on (0.0.0.0 or [::] for every interface; port 0 picks a free one). "
                    + "Default: ${DEFAULT-VALUE}.")
    private String listen;

    @Option(names = "--module", paramLabel = "NAME=PATH", required = true, split = FilterOptions.LIST_SEPARATOR,
            splitSynopsisLabel = " ",
            description = "A directory clients may use, by NAME (repeatable). Nothing outside PATH is read or "
                    + "written.")
    private List<String> modules = new ArrayList<>();

    @Option(names = "--read-only", paramLabel = "NAME", split = FilterOptions.LIST_SEPARATOR, splitSynopsisLabel = " ",
            description = "Clients may pull from module NAME but not push to it (repeatable).")
    private List<String> readOnly = new ArrayList<>();

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "Clients must present this token (the file's first line). Required unless --no-auth.")
    private Path tokenFile;

    @Option(names = "--no-auth",
            description = "Serve without a token; allowed only when listening on a loopback address.")
    private boolean noAuth;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "Serve TLS with this certificate (and --tls-key).")
    private Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "The private key of --tls-cert (PKCS#8 or PKCS#1).")
    private Path tlsKey;

    @Option(names = "--tls-self-signed", paramLabel = "DIR",
            description = "Serve TLS with a self-signed certificate kept in DIR, made the first time. The "
                    + "certificate's SHA-256 fingerprint is printed at start: clients pin it with --tls-pin.")
    private Path tlsSelfSigned;

    @Option(names = "--max-connections", paramLabel = "N", defaultValue = "64",
            description = "At most N clients at once (a client is one duplex process, however many connections it "
                    + "opens); more are refused with a message. "
                    + "Default: ${DEFAULT-VALUE}.")
    private int maxConnections;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = "10m",
            converter = DurationConverter.class,
            description = "Close a connection silent this long (clients reconnect when they need to). "
                    + "Default: ${DEFAULT-VALUE}.")
    private Duration idleTimeout;

    @Option(names = "--log-file", paramLabel = "FILE",
            description = "Also append the log to FILE (rotated at 10 MB); it always goes to standard error.")
    private Path logFile;

    @Option(names = {"-v", "--verbose"}, description = "More detail in the log (repeat for more).")
    private boolean[] verbose = new boolean[0];

    @Mixin
    private ConfigOption config;

    @Override
    public Integer call() throws IOException {
        InetSocketAddress address = address();
        Map<String, Module> served = modules();
        Optional<byte[]> token = token(address);
        Optional<Tls.Identity> identity = identity(address);
        DiagnosticLog.toStandardError(Optional.ofNullable(logFile).map(p -> p.toAbsolutePath()), verbose.length);
        Optional<SSLContext> tls;
        try {
            tls = identity.isPresent() ? Optional.of(identity.get().serverContext()) : Optional.empty();
        } catch (GeneralSecurityException e) {
            throw new dev.duplex.job.JobFailure(dev.duplex.job.JobFailure.Kind.FATAL,
                    "cannot serve TLS with this certificate and key: " + e.getMessage(), e);
        }
        ServerOptions options = new ServerOptions(address, served, token, tls, maxConnections,
                Duration.ofSeconds(10), idleTimeout, "duplex " + VersionProvider.version());
        DuplexServer server;
        try {
            server = DuplexServer.start(options);
        } catch (IOException e) {
            throw new dev.duplex.job.JobFailure(dev.duplex.job.JobFailure.Kind.FATAL,
                    "cannot listen on " + listen + ": " + e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("duplex serve: listening on " + hostPort(address.getHostString(), server.port())
                + (tls.isPresent() ? " (TLS)" : " (plain TCP: use duplexs:// with TLS across untrusted networks)"));
        identity.ifPresent(i -> out.println("duplex serve: TLS certificate SHA-256 " + i.fingerprint()));
        served.values().forEach(m -> out.println("duplex serve: module " + m.name() + " = " + m.root()
                + (m.readOnly() ? " (read-only)" : "")));
        if (token.isEmpty()) {
            out.println("duplex serve: no token required (--no-auth, loopback only)");
        }
        out.flush();
        try {
            new CountDownLatch(1).await(); // until SIGTERM or SIGINT interrupts this thread
        } catch (InterruptedException e) {
            out.println("duplex serve: stopping");
            out.flush();
        } finally {
            server.stop();
        }
        out.println("duplex serve: stopped");
        out.flush();
        return ExitCode.SYNCED.code();
    }

    private InetSocketAddress address() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[^:\\[\\]]+):(\\d{1,5})")
                .matcher(listen);
        if (!m.matches() || Integer.parseInt(m.group(2)) > 65535) {
            throw usage("--listen '" + listen + "' is not HOST:PORT (e.g. 0.0.0.0:" + Handshake.DEFAULT_PORT
                    + " or [::1]:" + Handshake.DEFAULT_PORT + ")");
        }
        String host = m.group(1).replace("[", "").replace("]", "");
        InetSocketAddress a = new InetSocketAddress(host, Integer.parseInt(m.group(2)));
        if (a.isUnresolved()) {
            throw usage("--listen " + listen + ": cannot resolve " + host);
        }
        return a;
    }

    private Map<String, Module> modules() {
        Map<String, Module> served = new LinkedHashMap<>();
        dev.duplex.tree.Confinement confinement = dev.duplex.tree.Confinement.strict(); // one for the daemon
        for (String spec : modules) {
            int eq = spec.indexOf('=');
            if (eq <= 0 || eq == spec.length() - 1) {
                throw usage("--module '" + spec + "' is not NAME=PATH");
            }
            String name = spec.substring(0, eq);
            Path path = Path.of(spec.substring(eq + 1)).toAbsolutePath().normalize();
            if (!java.nio.file.Files.isDirectory(path)) {
                throw usage("--module " + name + ": " + path + " is not a directory");
            }
            if (served.containsKey(name)) {
                throw usage("--module " + name + " is given twice");
            }
            try {
                served.put(name, new Module(name, path, readOnly.contains(name), confinement));
            } catch (IllegalArgumentException e) {
                throw usage("--module " + spec + ": " + e.getMessage());
            }
        }
        for (String r : readOnly) {
            if (!served.containsKey(r)) {
                throw usage("--read-only " + r + ": no --module of that name");
            }
        }
        return served;
    }

    private Optional<byte[]> token(InetSocketAddress address) {
        if (noAuth) {
            if (tokenFile != null) {
                throw usage("give --token-file or --no-auth, not both");
            }
            if (!address.getAddress().isLoopbackAddress()) {
                throw usage("--no-auth is allowed only on a loopback address (127.0.0.1, [::1]), not " + listen
                        + "; give --token-file FILE");
            }
            return Optional.empty();
        }
        if (tokenFile == null) {
            throw usage("give --token-file FILE (clients present its first line), or --no-auth on a loopback "
                    + "address");
        }
        String token;
        try {
            token = RemoteOptions.readToken(tokenFile);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        PrintWriter err = spec.commandLine().getErr();
        if (token.length() < 16) {
            err.println("duplex serve: warning: the token is " + token.length() + " characters long; use at least "
                    + "16 random ones (e.g. openssl rand -hex 32)");
        }
        try {
            java.util.Set<java.nio.file.attribute.PosixFilePermission> mode =
                    java.nio.file.Files.getPosixFilePermissions(tokenFile);
            if (mode.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                err.println("duplex serve: warning: " + tokenFile + " can be read by others than its owner "
                        + "(chmod 600 it)");
            }
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system: nothing to check
        }
        err.flush();
        return Optional.of(token.getBytes(StandardCharsets.UTF_8));
    }

    private Optional<Tls.Identity> identity(InetSocketAddress address) {
        if (tlsSelfSigned != null && (tlsCert != null || tlsKey != null)) {
            throw usage("give --tls-self-signed DIR or --tls-cert and --tls-key, not both");
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw usage("--tls-cert and --tls-key go together");
        }
        try {
            if (tlsCert != null) {
                return Optional.of(Tls.load(tlsCert, tlsKey));
            }
            if (tlsSelfSigned != null) {
                List<String> names = new ArrayList<>();
                names.add(localHostName());
                names.add("localhost");
                names.add("127.0.0.1");
                names.add("::1");
                if (!address.getAddress().isAnyLocalAddress()) {
                    names.add(address.getAddress().getHostAddress());
                }
                return Optional.of(Tls.selfSigned(tlsSelfSigned.toAbsolutePath(), names));
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new dev.duplex.job.JobFailure(dev.duplex.job.JobFailure.Kind.FATAL,
                    "cannot read or make the TLS certificate: " + e.getMessage(), e);
        }
    }

    private static String localHostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static String hostPort(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
