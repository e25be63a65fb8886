package dev.duplex.remote;

import dev.duplex.remote.protocol.Handshake;
import dev.duplex.tree.RelPath;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A root on a duplex daemon: {@code duplex://HOST[:PORT]/MODULE[/PATH]} (plain TCP) or {@code duplexs://...}
 * (TLS). HOST may be a name, an IPv4 address or a bracketed IPv6 address; PORT defaults to 9031.
 */
public record Endpoint(boolean tls, String host, int port, String module, RelPath path) {
    private static final Pattern URL = Pattern.compile(
            "(duplexs?)://(\\[[0-9A-Fa-f:.]+\\]|[^/:\\[\\]]+)(?::(\\d{1,5}))?/([^/]+)(/.*)?");

    /** Whether the text names an endpoint rather than a local path. */
    public static boolean isEndpoint(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        return lower.startsWith("duplex://") || lower.startsWith("duplexs://");
    }

    /**
     * Parses an endpoint.
     *
     * @throws IllegalArgumentException naming the text and what is wrong with it
     */
    public static Endpoint parse(String text) {
        Matcher m = URL.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not an endpoint (duplex://HOST[:PORT]/MODULE[/PATH]"
                    + " or duplexs://...)");
        }
        int port = m.group(3) == null ? Handshake.DEFAULT_PORT : Integer.parseInt(m.group(3));
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("'" + text + "': port " + port + " is out of range");
        }
        String host = m.group(2);
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        String rest = Optional.ofNullable(m.group(5)).map(p -> p.substring(1)).orElse("");
        while (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        RelPath path;
        try {
            path = RelPath.of(rest);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "': " + e.getMessage());
        }
        return new Endpoint(m.group(1).equalsIgnoreCase("duplexs"), host, port, m.group(4), path);
    }

    /** The endpoint as it names the root: what the db and the audit log record. */
    @Override
    public String toString() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return (tls ? "duplexs://" : "duplex://") + h + ":" + port + "/" + module
                + (path.isRoot() ? "" : "/" + path);
    }

    /** host:port, for messages. */
    public String server() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
