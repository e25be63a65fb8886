package dev.duplex.filter;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * One rsync wildcard pattern, compiled: {@code *} matches within one path component, {@code **} (two or more
 * stars) across components, {@code ?} one character but {@code /}, {@code [...]} a class ({@code [!...]} and
 * {@code [^...]} negate it, {@code [:alpha:]} and the other POSIX classes work inside it; no class matches
 * {@code /}), a backslash escapes the next character. As in rsync, a pattern without {@code *}, {@code ?} or
 * {@code [} is a plain string in which a backslash is an ordinary character. Pure: no I/O, thread-safe.
 */
final class GlobPattern {
    private static final Map<String, String> POSIX_CLASSES = Map.ofEntries(
            Map.entry("alnum", "\\p{Alnum}"), Map.entry("alpha", "\\p{Alpha}"), Map.entry("blank", " \\t"),
            Map.entry("cntrl", "\\p{Cntrl}"), Map.entry("digit", "0-9"), Map.entry("graph", "\\p{Graph}"),
            Map.entry("lower", "\\p{Lower}"), Map.entry("print", "\\p{Print}"), Map.entry("punct", "\\p{Punct}"),
            Map.entry("space", "\\s"), Map.entry("upper", "\\p{Upper}"), Map.entry("xdigit", "\\p{XDigit}"));

    private final String literal;
    private final Pattern regex;

    private GlobPattern(String literal, Pattern regex) {
        this.literal = literal;
        this.regex = regex;
    }

    /**
     * Compiles {@code text}; a trailing {@code /***} also matches the directory itself, as in rsync.
     *
     * @throws IllegalArgumentException naming the pattern when a {@code [} class is not closed (it could never match)
     */
    static GlobPattern compile(String text) {
        if (!isWild(text)) {
            return new GlobPattern(text, null);
        }
        boolean selfAndBelow = text.endsWith("/***");
        String body = selfAndBelow ? text.substring(0, text.length() - 4) : text;
        String regex = translate(body, text) + (selfAndBelow ? "(?:/.*)?" : "");
        try {
            return new GlobPattern(null, Pattern.compile(regex, Pattern.DOTALL));
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new IllegalArgumentException("pattern '" + text + "' is not a valid wildcard pattern ("
                    + e.getDescription() + ")", e);
        }
    }

    /** rsync's test: a pattern is a wildcard pattern when it has one of these three characters. */
    static boolean isWild(String text) {
        return text.indexOf('*') >= 0 || text.indexOf('?') >= 0 || text.indexOf('[') >= 0;
    }

    boolean matches(CharSequence s) {
        return literal != null ? literal.contentEquals(s) : regex.matcher(s).matches();
    }

    private static String translate(String p, String whole) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < p.length()) {
            char c = p.charAt(i);
            if (c == '\\' && i + 1 < p.length()) {
                out.append(Pattern.quote(String.valueOf(p.charAt(i + 1))));
                i += 2;
            } else if (c == '*') {
                int stars = 0;
                while (i < p.length() && p.charAt(i) == '*') {
                    stars++;
                    i++;
                }
                out.append(stars > 1 ? ".*" : "[^/]*");
            } else if (c == '?') {
                out.append("[^/]");
                i++;
            } else if (c == '[') {
                i = appendClass(p, i, out, whole);
            } else {
                out.append(Pattern.quote(String.valueOf(c)));
                i++;
            }
        }
        return out.toString();
    }

    /** Translates the class that opens at {@code start}; returns the index after its closing {@code ]}. */
    private static int appendClass(String p, int start, StringBuilder out, String whole) {
        int i = start + 1;
        boolean negated = i < p.length() && (p.charAt(i) == '!' || p.charAt(i) == '^');
        if (negated) {
            i++;
        }
        StringBuilder members = new StringBuilder();
        boolean first = true;
        while (true) {
            if (i >= p.length()) {
                throw new IllegalArgumentException("pattern '" + whole + "' has a '[' class without its ']' "
                        + "(it could never match; escape a literal bracket as \\[)");
            }
            char c = p.charAt(i);
            if (c == ']' && !first) {
                i++;
                break;
            }
            first = false;
            if (c == '[' && p.startsWith("[:", i)) {
                int end = p.indexOf(":]", i + 2);
                String name = end < 0 ? null : p.substring(i + 2, end);
                if (name != null && POSIX_CLASSES.containsKey(name)) {
                    members.append(POSIX_CLASSES.get(name));
                    i = end + 2;
                    continue;
                }
            }
            if (c == '\\' && i + 1 < p.length()) {
                c = p.charAt(++i);
            }
            if (i + 2 < p.length() && p.charAt(i + 1) == '-' && p.charAt(i + 2) != ']') {
                char to = p.charAt(i + 2);
                if (to == '\\' && i + 3 < p.length()) {
                    to = p.charAt(i + 3);
                    i++;
                }
                members.append(classChar(c)).append('-').append(classChar(to));
                i += 3;
            } else {
                members.append(classChar(c));
                i++;
            }
        }
        // no class matches the separator, negated or not (rsync's wildmatch)
        out.append(negated ? "[^/" + members + "]" : "[" + members + "&&[^/]]");
        return i;
    }

    private static String classChar(char c) {
        return Character.isLetterOrDigit(c) ? String.valueOf(c) : "\\x{" + Integer.toHexString(c) + "}";
    }

    @Override
    public String toString() {
        return literal != null ? literal : regex.pattern();
    }
}
