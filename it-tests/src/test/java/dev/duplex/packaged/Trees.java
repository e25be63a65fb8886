package dev.duplex.packaged;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Tree fixtures and checks for the packaged-jar tests: content by SHA-256, mtimes, temp names, db and audit log. */
final class Trees {
    /** A regular file's identity: what a copy must reproduce. */
    record Version(String sha256, long size, Instant mtime) {}

    private static final Pattern AUDIT_LINE = Pattern.compile(
            "\\{\"time\":\"[^\"]+\",\"event\":\"(synced|failed|deleted|vanished)\",\"source\":.*\\}");

    private Trees() {}

    static Path write(Path file, byte[] content, Instant mtime) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, content);
            Files.setLastModifiedTime(file, FileTime.from(mtime));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Version version(Path file) {
        try {
            return new Version(sha256(file), Files.size(file), Files.getLastModifiedTime(file).toInstant());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every regular file under {@code root} that is not a duplex temp file, by relative path. */
    static Map<String, Version> files(Path root) {
        Map<String, Version> out = new TreeMap<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && !isTemp(p))
                    .forEach(p -> out.put(root.relativize(p).toString(), version(p)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Relative paths of every directory under {@code root} (not the root itself). */
    static List<String> dirs(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> !p.equals(root) && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .map(p -> root.relativize(p).toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The contract's temp names: {@code .<name>.<anything>.duplex-tmp}. */
    static boolean isTemp(Path p) {
        String n = p.getFileName().toString();
        return n.startsWith(".") && n.endsWith(".duplex-tmp");
    }

    static List<Path> temps(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Trees::isTemp).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The temp file a writer uses for {@code finalPath}, if one exists. */
    static List<Path> tempsOf(Path finalPath) {
        String prefix = "." + finalPath.getFileName() + ".";
        try (Stream<Path> s = Files.list(finalPath.getParent())) {
            return s.filter(p -> isTemp(p) && p.getFileName().toString().startsWith(prefix)).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    static void assertNoTemps(Path... roots) {
        for (Path r : roots) {
            assertThat(temps(r)).as("temp files left in " + r).isEmpty();
        }
    }

    /** {@code PRAGMA integrity_check} of the job db: "ok". */
    static void assertDbIntact(Path db) {
        assertThat(query(db, "PRAGMA integrity_check")).as("integrity_check of " + db)
                .containsExactly(List.of("ok"));
    }

    static List<List<String>> query(Path db, String sql) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            List<List<String>> rows = new ArrayList<>();
            int columns = r.getMetaData().getColumnCount();
            while (r.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(r.getString(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("query on " + db + " failed: " + sql, e);
        }
    }

    /**
     * The audit log's lines, each checked to be one whole JSON object with the contract's leading fields. With
     * {@code tornTailAllowed} (right after a kill) the last line may be cut short; it is left out.
     */
    static List<String> auditLines(Path log, boolean tornTailAllowed) {
        if (!Files.exists(log)) {
            return List.of();
        }
        try {
            String all = Files.readString(log);
            List<String> lines = new ArrayList<>(List.of(all.split("\n", -1)));
            String last = lines.remove(lines.size() - 1); // "" when the file ends with a newline
            if (!last.isEmpty()) {
                assertThat(tornTailAllowed).as("the audit log ends without a newline: " + last).isTrue();
            }
            for (String l : lines) {
                assertThat(AUDIT_LINE.matcher(l).matches()).as("not one whole audit line: " + l).isTrue();
                assertThat(l.indexOf("{\"time\":", 1)).as("two records glued together: " + l).isEqualTo(-1);
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A string field of one audit line (the tool writes flat objects; no escapes in the values we read). */
    static String field(String line, String name) {
        java.util.regex.Matcher m = Pattern.compile("\"" + name + "\":\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(line);
        return m.find() ? m.group(1) : null;
    }
}
