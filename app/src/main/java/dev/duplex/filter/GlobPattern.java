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

    /** The kinds of step of a compiled pattern. */
    private enum Kind {
        /** one given character */
        CHAR,
        /** {@code ?}: one character but {@code /} */
        ANY,
        /** {@code [...]}: one character of the class (never {@code /}) */
        CLASS,
        /** {@code *}: any run of characters but {@code /} */
        STAR,
        /** {@code **}: any run of characters */
        GLOBSTAR
    }

    /** One step: its kind, and the character or the class. */
    private record Token(Kind kind, int codePoint, Pattern oneChar) {
        static Token of(Kind kind) {
            return new Token(kind, 0, null);
        }
    }

    private final String text;
    private final String literal;
    private final Token[] tokens;
    private final boolean selfAndBelow;

    private GlobPattern(String text, String literal, Token[] tokens, boolean selfAndBelow) {
        this.text = text;
        this.literal = literal;
        this.tokens = tokens;
        this.selfAndBelow = selfAndBelow;
    }

    /**
     * Compiles {@code text}; a trailing {@code /***} also matches the directory itself, as in rsync.
     *
     * @throws IllegalArgumentException naming the pattern when a {@code [} class is not closed (it could never match)
     */
    static GlobPattern compile(String text) {
        if (!isWild(text)) {
            return new GlobPattern(text, text, null, false);
        }
        boolean selfAndBelow = text.endsWith("/***");
        String body = selfAndBelow ? text.substring(0, text.length() - 4) : text;
        return new GlobPattern(text, null, tokens(body, text), selfAndBelow);
    }

    /** rsync's test: a pattern is a wildcard pattern when it has one of these three characters. */
    static boolean isWild(String text) {
        return text.indexOf('*') >= 0 || text.indexOf('?') >= 0 || text.indexOf('[') >= 0;
    }

    /**
     * Whether the pattern matches all of {@code s}. Matched by one pass per token over the characters (a set of
     * positions, no backtracking), so the time is bounded by pattern length times path length whatever the
     * pattern: a daemon matches its clients' patterns.
     */
    boolean matches(CharSequence s) {
        if (literal != null) {
            return literal.contentEquals(s);
        }
        int[] cps = s.codePoints().toArray();
        int n = cps.length;
        boolean[] cur = new boolean[n + 1];
        boolean[] next = new boolean[n + 1];
        cur[0] = true;
        for (Token t : tokens) {
            java.util.Arrays.fill(next, false);
            boolean any = false;
            for (int j = 0; j <= n; j++) {
                boolean r;
                if (t.kind() == Kind.STAR) {
                    r = cur[j] || (j > 0 && next[j - 1] && cps[j - 1] != '/');
                } else if (t.kind() == Kind.GLOBSTAR) {
                    r = cur[j] || (j > 0 && next[j - 1]);
                } else {
                    r = j > 0 && cur[j - 1] && one(t, cps[j - 1]);
                }
                next[j] = r;
                any |= r;
            }
            if (!any) {
                return false;
            }
            boolean[] swap = cur;
            cur = next;
            next = swap;
        }
        if (cur[n]) {
            return true;
        }
        if (selfAndBelow) {
            for (int j = 0; j < n; j++) {
                if (cur[j] && cps[j] == '/') {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean one(Token t, int c) {
        return switch (t.kind()) {
            case CHAR -> t.codePoint() == c;
            case ANY -> c != '/';
            case CLASS -> c != '/' && t.oneChar().matcher(new String(Character.toChars(c))).matches();
            default -> false;
        };
    }

    private static Token[] tokens(String p, String whole) {
        java.util.List<Token> out = new java.util.ArrayList<>();
        int i = 0;
        while (i < p.length()) {
            char c = p.charAt(i);
            if (c == '\\' && i + 1 < p.length()) {
                int cp = p.codePointAt(i + 1);
                out.add(new Token(Kind.CHAR, cp, null));
                i += 1 + Character.charCount(cp);
            } else if (c == '*') {
                int stars = 0;
                while (i < p.length() && p.charAt(i) == '*') {
                    stars++;
                    i++;
                }
                out.add(Token.of(stars > 1 ? Kind.GLOBSTAR : Kind.STAR));
            } else if (c == '?') {
                out.add(Token.of(Kind.ANY));
                i++;
            } else if (c == '[') {
                StringBuilder cls = new StringBuilder();
                i = appendClass(p, i, cls, whole);
                try {
                    out.add(new Token(Kind.CLASS, 0, Pattern.compile(cls.toString(), Pattern.DOTALL)));
                } catch (java.util.regex.PatternSyntaxException e) {
                    throw new IllegalArgumentException("pattern '" + whole + "' is not a valid wildcard pattern ("
                            + e.getDescription() + ")", e);
                }
            } else {
                int cp = p.codePointAt(i);
                out.add(new Token(Kind.CHAR, cp, null));
                i += Character.charCount(cp);
            }
        }
        return out.toArray(Token[]::new);
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
        return text;
    }
}
