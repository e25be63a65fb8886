package dev.duplex.filter;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The table of rsync's own answers (src/test/resources/filter): the tree, and for each case of rules what
 * {@code rsync -n -r --out-format=%n} includes of it (directories with a trailing {@code /}). Regenerate it with
 * {@code make-rsync-reference.py} after changing {@code tree.txt} or {@code cases.txt}.
 */
final class RsyncReference {
    /** One rule as rsync got it: {@code --include=PATTERN} or {@code --exclude=PATTERN}. */
    record Rule(FilterRule.Action action, String pattern) {
        String asRsyncArgument() {
            return action.option() + "=" + pattern;
        }
    }

    /** One row of the table. */
    record Case(List<Rule> rules, List<String> includes) {
        @Override
        public String toString() {
            return String.join(" ", rules.stream().map(Rule::asRsyncArgument).toList());
        }
    }

    private RsyncReference() {}

    /** The tree's paths, directories ending with {@code /}. */
    static List<String> tree() throws IOException {
        List<String> paths = new ArrayList<>();
        for (String line : lines("tree.txt")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                paths.add(line);
            }
        }
        return paths;
    }

    static List<Case> cases() throws IOException {
        List<Case> cases = new ArrayList<>();
        List<Rule> rules = null;
        List<String> includes = null;
        for (String line : lines("rsync-reference.txt")) {
            if (line.startsWith("#")) {
                continue;
            }
            switch (line) {
                case "[rules]" -> {
                    rules = new ArrayList<>();
                    includes = null;
                }
                case "[includes]" -> includes = new ArrayList<>();
                case "" -> {
                    if (rules != null) {
                        cases.add(new Case(List.copyOf(rules), List.copyOf(includes)));
                        rules = null;
                    }
                }
                default -> {
                    if (includes != null) {
                        includes.add(line);
                    } else {
                        int space = line.indexOf(' ');
                        rules.add(new Rule(FilterRule.Action.valueOf(line.substring(0, space).toUpperCase(
                                java.util.Locale.ROOT)), line.substring(space + 1)));
                    }
                }
            }
        }
        return cases;
    }

    private static List<String> lines(String name) throws IOException {
        try (InputStream in = RsyncReference.class.getResourceAsStream("/filter/" + name)) {
            if (in == null) {
                throw new IOException("test resource /filter/" + name + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }
}
