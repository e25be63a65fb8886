package dev.duplex.backlog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A job database on a PostgreSQL server, as {@code --db postgresql://HOST[:PORT]/DBNAME} names it, with the
 * credentials and connection settings libpq's users already keep: {@code PGUSER} (default: the login name),
 * {@code PGPASSWORD} or the password file ({@code PGPASSFILE}, default {@code ~/.pgpass}), {@code PGSSLMODE},
 * {@code PGSSLROOTCERT}, {@code PGCONNECT_TIMEOUT}. Never a password on the command line.
 */
public record PgDatabase(String host, int port, String database, String user, Optional<String> password,
                         Map<String, String> env) {
    public static final int DEFAULT_PORT = 5432;
    private static final Pattern URL = Pattern.compile(
            "postgres(?:ql)?://(\\[[^\\]]+\\]|[^:/@\\[\\]]+)(?::(\\d{1,5}))?/([^/?#]+)");

    /** Whether {@code --db} names a PostgreSQL database rather than a SQLite file. */
    public static boolean isUrl(String db) {
        return db.startsWith("postgresql://") || db.startsWith("postgres://");
    }

    /**
     * @throws IllegalArgumentException with a message for the user: a malformed URL, or credentials in it
     */
    public static PgDatabase parse(String url, Map<String, String> env, String loginName) {
        if (url.substring(url.indexOf("//") + 2).contains("@")) {
            throw new IllegalArgumentException("--db " + redact(url) + ": no user or password in the URL (they would "
                    + "show in the process list); use PGUSER and PGPASSWORD or a ~/.pgpass file");
        }
        Matcher m = URL.matcher(url);
        if (!m.matches()) {
            throw new IllegalArgumentException("--db " + url + ": expected postgresql://HOST[:PORT]/DBNAME");
        }
        int port = m.group(2) == null ? DEFAULT_PORT : Integer.parseInt(m.group(2));
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--db " + url + ": port " + port + " is out of range");
        }
        String host = m.group(1);
        String database = m.group(3);
        String user = Optional.ofNullable(env.get("PGUSER")).filter(s -> !s.isBlank()).orElse(loginName);
        Optional<String> password = Optional.ofNullable(env.get("PGPASSWORD"))
                .or(() -> fromPasswordFile(passwordFile(env), host, port, database, user));
        return new PgDatabase(host, port, database, user, password, Map.copyOf(env));
    }

    /** {@code postgresql://host:port/db}, for messages. */
    public String describe() {
        return "postgresql://" + host + ":" + port + "/" + database;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** The driver's properties: user, password, TLS and time-outs from the environment, the application name. */
    Properties properties() {
        Properties p = new Properties();
        p.setProperty("user", user);
        password.ifPresent(pw -> p.setProperty("password", pw));
        p.setProperty("ApplicationName", "duplex");
        Optional.ofNullable(env.get("PGSSLMODE")).ifPresent(v -> p.setProperty("sslmode", v));
        Optional.ofNullable(env.get("PGSSLROOTCERT")).ifPresent(v -> p.setProperty("sslrootcert", v));
        p.setProperty("connectTimeout", Optional.ofNullable(env.get("PGCONNECT_TIMEOUT")).orElse("10"));
        p.setProperty("socketTimeout", "120"); // a server that stops answering fails the statement, not the run's hang
        p.setProperty("tcpKeepAlive", "true");
        // every file commits once (its prepared record): waiting for the server's WAL flush each time would bound a
        // host at a few hundred files per second. Visibility and locking are unchanged; a server crash may forget
        // the last fraction of a second of records, and those files are copied again (same content) after it.
        p.setProperty("options", "-c synchronous_commit=off");
        return p;
    }

    /** Seconds a connection attempt may take ({@code PGCONNECT_TIMEOUT}, default 10). */
    long connectTimeoutSeconds() {
        try {
            return Math.max(1, Long.parseLong(env.getOrDefault("PGCONNECT_TIMEOUT", "10").trim()));
        } catch (NumberFormatException e) {
            return 10;
        }
    }

    private static Path passwordFile(Map<String, String> env) {
        String explicit = env.get("PGPASSFILE");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        return Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".pgpass");
    }

    /** The first line of a libpq password file matching host, port, database and user ({@code *} matches all). */
    static Optional<String> fromPasswordFile(Path file, String host, int port, String database, String user) {
        List<String> lines;
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return Optional.empty();
        }
        String[] wanted = {host, Integer.toString(port), database, user};
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            List<String> fields = fields(line);
            if (fields.size() != 5) {
                continue;
            }
            boolean matches = true;
            for (int i = 0; i < 4 && matches; i++) {
                String f = fields.get(i);
                matches = f.equals("*") || f.equals(wanted[i])
                        || (i == 0 && f.equals("localhost") && wanted[0].equals("127.0.0.1"));
            }
            if (matches) {
                return Optional.of(fields.get(4));
            }
        }
        return Optional.empty();
    }

    /** Splits a password-file line at unescaped colons; {@code \:} and {@code \\} stand for {@code :} and {@code \}. */
    private static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                field.append(line.charAt(++i));
            } else if (c == ':') {
                out.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        out.add(field.toString());
        return out;
    }

    private static String redact(String url) {
        int scheme = url.indexOf("//") + 2;
        int at = url.lastIndexOf('@');
        return at < scheme ? url : url.substring(0, scheme) + "***@" + url.substring(at + 1);
    }

    @Override
    public String toString() {
        return describe() + " as " + user;
    }
}
