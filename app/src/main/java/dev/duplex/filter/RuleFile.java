package dev.duplex.filter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --exclude-from FILE} and {@code --include-from FILE}: one pattern a line, UTF-8. Blank lines and lines
 * starting with {@code #} or {@code ;} are comments, as in rsync; a line's trailing carriage return (a file saved
 * on Windows) is not part of its pattern.
 */
public final class RuleFile {
    private RuleFile() {}

    /**
     * The rules of {@code file}, in its order.
     *
     * @throws IllegalArgumentException naming the file (and line) when it cannot be read or a pattern is bad
     */
    public static List<FilterRule> read(Path file, FilterRule.Action action) {
        String option = action.option() + "-from";
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + option + " " + file + ": " + describe(e));
        }
        List<FilterRule> rules = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            try {
                rules.add(FilterRule.parse(action, line));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option + " " + file + " line " + (i + 1) + ": " + e.getMessage());
            }
        }
        return rules;
    }

    private static String describe(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.charset.MalformedInputException) {
            return "not UTF-8 text";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
