package dev.duplex.notify;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * The {@code [email]} table of a {@code --config} file (contract: E-mail): where and how to send a two-way run's
 * conflict and summary messages. The password is never in the file: {@code password-env} names the environment
 * variable that holds it. {@code ssl-trust} (not in the contract): host names, space-separated, whose TLS
 * certificate is accepted without checking it against the JVM's trust store (a relay with a self-signed
 * certificate).
 */
public record MailSettings(String smtpHost, int smtpPort, Security security, Optional<String> username,
                           Optional<String> passwordEnv, String from, List<String> to, String subjectPrefix,
                           Notify notifyWhen, Optional<String> sslTrust) {
    /** How the SMTP connection is protected. */
    public enum Security { NONE, STARTTLS, TLS }

    /** One message per conflict, or one per run that had a conflict or a failure. */
    public enum Notify { PER_CONFLICT, SUMMARY }

    private static final Set<String> KEYS = Set.of("smtp-host", "smtp-port", "security", "username", "password-env",
            "from", "to", "subject-prefix", "notify", "ssl-trust");

    /**
     * The settings in {@code file}'s {@code [email]} table; empty when it has none.
     *
     * @throws IllegalArgumentException naming the file and what is wrong
     */
    public static Optional<MailSettings> fromConfig(Path file) {
        TomlParseResult toml;
        try {
            toml = Toml.parse(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the config file " + file + ": " + e);
        }
        if (toml.hasErrors()) {
            throw new IllegalArgumentException("config file " + file + ": " + toml.errors().get(0));
        }
        TomlTable t = toml.getTable("email");
        if (t == null) {
            return Optional.empty();
        }
        String where = "config file " + file + ": [email] ";
        for (String key : t.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException(where + "unknown key " + key + " (known: "
                        + String.join(", ", new java.util.TreeSet<>(KEYS)) + ")");
            }
        }
        String host = required(t, "smtp-host", where);
        Security security = parse(Security.class, string(t, "security", where).orElse("starttls"), where + "security");
        long port = t.contains("smtp-port") ? number(t, "smtp-port", where)
                : security == Security.TLS ? 465 : security == Security.STARTTLS ? 587 : 25;
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(where + "smtp-port must be 1 to 65535, not " + port);
        }
        List<String> to = new ArrayList<>();
        Object rawTo = t.get("to");
        if (rawTo instanceof TomlArray a) {
            for (int i = 0; i < a.size(); i++) {
                to.add(String.valueOf(a.get(i)));
            }
        } else if (rawTo instanceof String s) {
            to.add(s);
        }
        if (to.isEmpty()) {
            throw new IllegalArgumentException(where + "to must list at least one address");
        }
        return Optional.of(new MailSettings(host, (int) port, security, string(t, "username", where),
                string(t, "password-env", where), required(t, "from", where), List.copyOf(to),
                string(t, "subject-prefix", where).orElse("[duplex]"),
                parse(Notify.class, string(t, "notify", where).orElse("per-conflict"), where + "notify"),
                string(t, "ssl-trust", where)));
    }

    private static String required(TomlTable t, String key, String where) {
        return string(t, key, where).orElseThrow(() -> new IllegalArgumentException(where + key + " is required"));
    }

    private static Optional<String> string(TomlTable t, String key, String where) {
        Object v = t.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException(where + key + " must be a string");
        }
        return Optional.of(s);
    }

    private static long number(TomlTable t, String key, String where) {
        Object v = t.get(key);
        if (!(v instanceof Long n)) {
            throw new IllegalArgumentException(where + key + " must be a number");
        }
        return n;
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String text, String what) {
        String name = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        throw new IllegalArgumentException(what + " must be one of " + java.util.Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList() + ", not '" + text + "'");
    }
}
