package dev.duplex.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The file beside a job's db ({@code <db>.watch.json}) where {@code duplex bisync --watch} keeps its state for
 * {@code duplex status}: one flat JSON object (strings, numbers, null) that the watch replaces atomically.
 */
public final class WatchStateFile {
    private WatchStateFile() {
    }

    public static Path fileFor(Path db) {
        return db.resolveSibling(db.getFileName() + ".watch.json");
    }

    /**
     * The state a watch of {@code db} last wrote, with {@code running} (whether its pid is alive) added; empty when
     * there is no such file or it cannot be read.
     */
    public static Optional<Map<String, Object>> read(Path db) {
        try {
            String text = Files.readString(fileFor(db), StandardCharsets.UTF_8).trim();
            Map<String, Object> m = parseFlat(text);
            Object pid = m.get("pid");
            boolean alive = pid instanceof Long p && ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false);
            m.put("running", alive);
            return Optional.of(m);
        } catch (IOException | RuntimeException e) {          // none, or half of one: no state to show
            return Optional.empty();
        }
    }

    /** Parses what {@link Json#object} writes for flat values: strings, integers, null, true/false. */
    static Map<String, Object> parseFlat(String text) {
        if (!text.startsWith("{") || !text.endsWith("}")) {
            throw new IllegalArgumentException("not a JSON object");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        int[] at = {1};
        skipSpace(text, at);
        while (text.charAt(at[0]) != '}') {
            String key = string(text, at);
            skipSpace(text, at);
            expect(text, at, ':');
            skipSpace(text, at);
            char c = text.charAt(at[0]);
            Object value;
            if (c == '"') {
                value = string(text, at);
            } else {
                int start = at[0];
                while (",} \n".indexOf(text.charAt(at[0])) < 0) {
                    at[0]++;
                }
                String word = text.substring(start, at[0]);
                value = switch (word) {
                    case "null" -> null;
                    case "true" -> Boolean.TRUE;
                    case "false" -> Boolean.FALSE;
                    default -> Long.parseLong(word);
                };
            }
            m.put(key, value);
            skipSpace(text, at);
            if (text.charAt(at[0]) == ',') {
                at[0]++;
                skipSpace(text, at);
            }
        }
        return m;
    }

    private static String string(String text, int[] at) {
        expect(text, at, '"');
        StringBuilder b = new StringBuilder();
        while (text.charAt(at[0]) != '"') {
            char c = text.charAt(at[0]++);
            if (c == '\\') {
                char e = text.charAt(at[0]++);
                switch (e) {
                    case 'n' -> b.append('\n');
                    case 't' -> b.append('\t');
                    case 'r' -> b.append('\r');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'u' -> {
                        b.append((char) Integer.parseInt(text.substring(at[0], at[0] + 4), 16));
                        at[0] += 4;
                    }
                    default -> b.append(e);
                }
            } else {
                b.append(c);
            }
        }
        at[0]++;
        return b.toString();
    }

    private static void expect(String text, int[] at, char c) {
        if (text.charAt(at[0]) != c) {
            throw new IllegalArgumentException("expected " + c + " at " + at[0]);
        }
        at[0]++;
    }

    private static void skipSpace(String text, int[] at) {
        while (Character.isWhitespace(text.charAt(at[0]))) {
            at[0]++;
        }
    }
}
