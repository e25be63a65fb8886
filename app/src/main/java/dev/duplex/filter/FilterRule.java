package dev.duplex.filter;

/**
 * One {@code --include} or {@code --exclude} rule, matched as rsync matches it: a pattern starting with {@code /}
 * is anchored at the root; otherwise a pattern without {@code /} and {@code **} is matched against the last name of
 * a path, and any other pattern against the end of the path at a component boundary. A trailing {@code /} makes
 * the rule apply to directories only. As rsync does, a pattern given as {@code "+ PATTERN"} or {@code "- PATTERN"}
 * is an include or an exclude whatever option brought it. Paths are relative to the root and use {@code /}.
 */
public final class FilterRule {
    /** What a matching rule decides. */
    public enum Action {
        INCLUDE("--include"), EXCLUDE("--exclude");

        private final String option;

        Action(String option) {
            this.option = option;
        }

        public String option() {
            return option;
        }
    }

    private final Action action;
    private final String text;
    private final GlobPattern glob;
    private final boolean anchored;
    private final boolean directoriesOnly;
    private final boolean wholePath;
    private final boolean leadingDoubleStar;
    private final int components;

    private FilterRule(Action action, String text, String pattern, boolean anchored, boolean directoriesOnly) {
        this.action = action;
        this.text = text;
        this.glob = GlobPattern.compile(pattern);
        this.anchored = anchored;
        this.directoriesOnly = directoriesOnly;
        boolean doubleStar = GlobPattern.isWild(pattern) && pattern.contains("**");
        // a leading ** already spans any leading directories
        this.leadingDoubleStar = doubleStar && pattern.startsWith("**");
        this.wholePath = anchored || leadingDoubleStar;
        // -1: try every suffix; otherwise the number of trailing components the pattern spans
        this.components = doubleStar ? -1 : (int) pattern.chars().filter(c -> c == '/').count() + 1;
    }

    /**
     * Parses one rule as an option gives it.
     *
     * @throws IllegalArgumentException naming the pattern when it is empty or cannot match anything
     */
    public static FilterRule parse(Action given, String text) {
        Action action = given;
        String p = text;
        if (p.startsWith("+ ")) {
            action = Action.INCLUDE;
            p = p.substring(2);
        } else if (p.startsWith("- ")) {
            action = Action.EXCLUDE;
            p = p.substring(2);
        }
        boolean directoriesOnly = p.endsWith("/");
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        boolean anchored = p.startsWith("/");
        if (anchored) {
            p = p.substring(1);
        }
        if (p.isEmpty()) {
            throw new IllegalArgumentException(given.option() + " '" + text + "' names no file or directory");
        }
        return new FilterRule(action, text, p, anchored, directoriesOnly);
    }

    public Action action() {
        return action;
    }

    /** The pattern as given (with any {@code +}/{@code -} prefix). */
    public String text() {
        return text;
    }

    /** Whether this rule matches the entry at {@code relative} ({@code /}-separated, no leading {@code /}). */
    public boolean matches(String relative, boolean isDirectory) {
        if (directoriesOnly && !isDirectory) {
            return false;
        }
        if (wholePath) {
            // unanchored, a leading ** may also stand for no directory at all (**/x matches a top-level x): rsync
            // matches such a pattern against "/" + the path
            return glob.matches(anchored ? relative : "/" + relative);
        }
        if (components > 0) {
            int start = startOfLast(relative, components);
            return start >= 0 && glob.matches(relative.substring(start));
        }
        if (glob.matches(relative)) {
            return true;
        }
        for (int slash = relative.indexOf('/'); slash >= 0; slash = relative.indexOf('/', slash + 1)) {
            if (glob.matches(relative.substring(slash + 1))) {
                return true;
            }
        }
        return false;
    }

    /** Where the last {@code n} components of {@code path} start, or -1 when it has fewer. */
    private static int startOfLast(String path, int n) {
        int i = path.length();
        for (int seen = 0; seen < n; seen++) {
            if (i < 0) {
                return -1;
            }
            i = path.lastIndexOf('/', i - 1);
        }
        return i + 1;
    }

    boolean isAnchored() {
        return anchored;
    }

    @Override
    public String toString() {
        return action.option() + " " + text;
    }
}
