package dev.duplex.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads audit log lines into maps (flat JSON objects of strings and numbers, as the tool writes them). */
public final class Audit {
    private static final Pattern FIELD =
            Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\":(?:\"((?:[^\"\\\\]|\\\\.)*)\"|(-?\\d+))");

    private Audit() {}

    public static List<Map<String, String>> lines(Path log) {
        try {
            return Files.readAllLines(log).stream().map(Audit::parse).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, String> parse(String line) {
        if (!line.startsWith("{") || !line.endsWith("}")) {
            throw new IllegalArgumentException("not a JSON object: " + line);
        }
        Map<String, String> m = new LinkedHashMap<>();
        Matcher x = FIELD.matcher(line);
        while (x.find()) {
            m.put(unescape(x.group(1)), x.group(2) != null ? unescape(x.group(2)) : x.group(3));
        }
        return m;
    }

    private static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    b.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> b.append(n);
            }
        }
        return b.toString();
    }
}
