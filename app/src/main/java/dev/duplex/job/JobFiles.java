package dev.duplex.job;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a job keeps its files by default: a per-job db (and audit and diagnostic logs next to it) in the user's
 * state directory, named after the source and the destinations, so re-running the same command resumes the same
 * job. {@code $XDG_STATE_HOME/duplex}, else {@code $HOME/.local/state/duplex} with the environment's {@code HOME}
 * (what a systemd unit or CI job sets), the password database's home only when {@code HOME} is not set;
 * {@code %LOCALAPPDATA%\duplex} on Windows.
 */
public final class JobFiles {
    private JobFiles() {}

    /**
     * @param userHome the JVM's {@code user.home} (from the password database), used only when the environment has
     *     no {@code HOME}
     */
    public static Path stateDirectory(Map<String, String> env, String userHome, String osName) {
        if (osName.toLowerCase(Locale.ROOT).startsWith("windows") && env.containsKey("LOCALAPPDATA")) {
            return Path.of(env.get("LOCALAPPDATA"), "duplex");
        }
        String xdg = env.get("XDG_STATE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "duplex");
        }
        String home = env.get("HOME");
        String base = home != null && !home.isBlank() ? home : userHome;
        return Path.of(base, ".local", "state", "duplex");
    }

    /** {@code <state>/<source name>-<12 hex>-shard-K-of-N.db} for one part of a {@code --shard} job. */
    public static Path defaultDb(Path stateDirectory, Location source, List<Location> destinations,
                                 java.util.Optional<dev.duplex.filter.Shard> shard) {
        Path whole = defaultDb(stateDirectory, source, destinations);
        if (shard.isEmpty()) {
            return whole;
        }
        String name = whole.getFileName().toString();
        return whole.resolveSibling(name.substring(0, name.length() - 3) + "-shard-" + shard.get().index() + "-of-"
                + shard.get().count() + ".db");
    }

    /** {@code <state>/<source name>-<12 hex of the job's roots>.db}. */
    public static Path defaultDb(Path stateDirectory, Location source, List<Location> destinations) {
        StringBuilder key = new StringBuilder(source.name());
        destinations.forEach(d -> key.append('\0').append(d.name()));
        String name = source.lastName();
        String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
        if (safe.length() > 40) {
            safe = safe.substring(0, 40);
        }
        return stateDirectory.resolve(safe + "-" + shortHash(key.toString()) + ".db");
    }

    /** A two-way job's db: {@code <state>/bisync-<left name>-<12 hex of both roots>.db}. */
    public static Path defaultBisyncDb(Path stateDirectory, Location left, Location right) {
        String key = "bisync\0" + left.name() + "\0" + right.name();
        String safe = left.lastName().replaceAll("[^A-Za-z0-9._-]", "_");
        if (safe.length() > 40) {
            safe = safe.substring(0, 40);
        }
        return stateDirectory.resolve("bisync-" + safe + "-" + shortHash(key) + ".db");
    }

    /** The audit log beside a db: {@code x.db} gives {@code x.audit.jsonl}. */
    public static Path defaultAuditLog(Path db) {
        return db.resolveSibling(stem(db) + ".audit.jsonl");
    }

    /** The diagnostic (debug) log beside a db: {@code x.db} gives {@code x.log}. */
    public static Path diagnosticLog(Path db) {
        return db.resolveSibling(stem(db) + ".log");
    }

    private static String stem(Path db) {
        String n = db.getFileName().toString();
        return n.endsWith(".db") ? n.substring(0, n.length() - 3) : n;
    }

    private static String shortHash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
