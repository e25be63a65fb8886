package dev.duplex.filter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --exclude-from FILE} and {@code --include-from FILE}: one pattern a line, UTF-8 ({@code -}: standard input).
 * Blank lines and lines starting with {@code #} or {@code ;} are comments, as in rsync; a line's trailing carriage
 * return and a leading byte-order mark (a file saved on Windows) are not part of its patterns.
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
            lines = file.toString().equals("-")
                    ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()
                    : Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + option + " " + file + ": " + describe(e));
        }
        List<FilterRule> rules = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
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
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e.getMessage() != null && e.getMessage().contains("Is a directory")) {
            return "it is a directory, not a file of patterns";
        }
        if (e instanceof java.nio.charset.MalformedInputException) {
            return "not UTF-8 text";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
