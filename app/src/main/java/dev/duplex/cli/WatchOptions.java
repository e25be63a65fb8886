package dev.duplex.cli;

import dev.duplex.watch.WatchSettings;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --watch} and its settings: the live two-way service. */
public final class WatchOptions {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    @Option(names = "--watch",
            description = "Keep running: reconcile, then carry each change on either side over as it happens (a "
                    + "small file within seconds, small files before large ones), with a full reconcile every "
                    + "--full-scan-interval. Stop with SIGTERM or Ctrl-C (exit 143/130); a restart repeats no work.")
    boolean watch;

    @Option(names = "--debounce", paramLabel = "DURATION", defaultValue = "2s", converter = DurationConverter.class,
            description = "Watch: how long a path must be quiet (no more events) before it is synced, so a file "
                    + "being written is taken once it is complete. Default: ${DEFAULT-VALUE}.")
    Duration debounce;

    @Option(names = "--full-scan-interval", paramLabel = "DURATION", defaultValue = "1h",
            converter = DurationConverter.class,
            description = "Watch: a full reconcile this often, to catch what events miss (a network mount's remote "
                    + "changes, a duplex:// side). An event overflow triggers one at once. Default: ${DEFAULT-VALUE}.")
    Duration fullScanInterval;

    @Option(names = "--health-listen", paramLabel = "HOST:PORT",
            description = "Watch: serve GET /health there (200 with status, last_sync, pending, conflicts; 503 while "
                    + "a root is unreachable). Port 0 picks a free one (printed at start). Example: 127.0.0.1:8787")
    String healthListen;

    /** The watch's settings; {@code null} without --watch (where the watch-only options are refused). */
    WatchSettings settings(boolean dryRun, boolean path) {
        if (!watch) {
            if (healthListen != null) {
                throw usage("--health-listen needs --watch");
            }
            return null;
        }
        if (dryRun) {
            throw usage("--watch and --dry-run do not go together: a dry run changes nothing and ends");
        }
        if (path) {
            throw usage("--watch and --path do not go together: a watch covers both roots");
        }
        if (debounce.isNegative()) {
            throw usage("--debounce must not be negative");
        }
        if (fullScanInterval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw usage("--full-scan-interval must be at least 1s");
        }
        return new WatchSettings(debounce, fullScanInterval, Optional.ofNullable(healthListen).map(this::address),
                WatchSettings.DEFAULT_LARGE_FILE);
    }

    private InetSocketAddress address(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw usage("--health-listen takes HOST:PORT (e.g. 127.0.0.1:8787), not '" + text + "'");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw usage("--health-listen " + text + ": the port is not a number");
        }
        if (port < 0 || port > 65535) {
            throw usage("--health-listen " + text + ": the port must be 0-65535");
        }
        InetSocketAddress a = new InetSocketAddress(host.isEmpty() ? "127.0.0.1" : host, port);
        if (a.isUnresolved()) {
            throw usage("--health-listen " + text + ": unknown host " + host);
        }
        return a;
    }

    private ParameterException usage(String message) {
        return new ParameterException(mixee.commandLine(), message);
    }
}
