package dev.duplex.cli;

import dev.duplex.filter.FilterRule;
import dev.duplex.filter.PathFilter;
import dev.duplex.filter.RuleFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * The filter options of every mode: {@code --exclude}, {@code --include}, {@code --exclude-from},
 * {@code --include-from}, {@code --min-size}, {@code --max-size}, {@code --delete-excluded}. Rules keep the order of
 * the command line across all four rule options (the first rule that matches decides, as in rsync); rules that
 * come from a {@code --config} file follow, key by key in the order of the file.
 */
public final class FilterOptions {
    /** Separates a config file's array elements in a default value; no command-line argument can hold it. */
    static final String LIST_SEPARATOR = "\u0000";

    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    @Option(names = "--exclude", paramLabel = "PATTERN", split = LIST_SEPARATOR, splitSynopsisLabel = " ",
            description = "Leave out what PATTERN matches (repeatable; with --include, the first rule that matches "
                    + "decides). rsync's patterns: * within a name, ** across directories, ? one character, [...] a "
                    + "class; a leading / anchors at the root, a trailing / matches directories only. An excluded "
                    + "directory is not walked. Example: --exclude .snapshot/ --exclude '~$*'")
    private List<String> excludes = new ArrayList<>();

    @Option(names = "--include", paramLabel = "PATTERN", split = LIST_SEPARATOR, splitSynopsisLabel = " ",
            description = "Keep what PATTERN matches even if a later --exclude matches it. Only PDFs: "
                    + "--include '*/' --include '*.pdf' --exclude '*'")
    private List<String> includes = new ArrayList<>();

    @Option(names = "--exclude-from", paramLabel = "FILE", split = LIST_SEPARATOR, splitSynopsisLabel = " ",
            description = "Read --exclude patterns from FILE, one a line (blank lines and lines starting with # or ; "
                    + "are ignored; '+ PATTERN' is an include).")
    private List<Path> excludeFrom = new ArrayList<>();

    @Option(names = "--include-from", paramLabel = "FILE", split = LIST_SEPARATOR, splitSynopsisLabel = " ",
            description = "Read --include patterns from FILE, as --exclude-from.")
    private List<Path> includeFrom = new ArrayList<>();

    @Option(names = "--min-size", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Leave out files smaller than SIZE (K, M, G: powers of 1024; a file of exactly SIZE is "
                    + "kept).")
    private Long minSize;

    @Option(names = "--max-size", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Leave out files larger than SIZE (a file of exactly SIZE is kept).")
    private Long maxSize;

    @Option(names = "--delete-excluded",
            description = "With --delete-extras: also delete destination entries the filters exclude (without it "
                    + "they are never deleted).")
    private boolean deleteExcluded;

    boolean deleteExcluded() {
        return deleteExcluded;
    }

    /**
     * The job's filter.
     *
     * @throws ParameterException (exit 2) for a bad pattern, an unreadable rule file or crossed size bounds
     */
    PathFilter filter() {
        if (minSize != null && maxSize != null && minSize > maxSize) {
            throw usage("--min-size (" + dev.duplex.report.HumanUnits.bytes(minSize) + ") is larger than --max-size ("
                    + dev.duplex.report.HumanUnits.bytes(maxSize) + "): nothing would be kept");
        }
        try {
            return new PathFilter(rules(), minSize == null ? OptionalLong.empty() : OptionalLong.of(minSize),
                    maxSize == null ? OptionalLong.empty() : OptionalLong.of(maxSize));
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private List<FilterRule> rules() {
        ParseResult parsed = mixee.commandLine().getParseResult();
        Map<String, Integer> taken = new HashMap<>();
        List<FilterRule> rules = new ArrayList<>();
        for (ArgSpec arg : parsed.matchedArgs()) {
            if (arg instanceof OptionSpec o && isRuleOption(o.longestName())) {
                int index = taken.merge(o.longestName(), 1, Integer::sum) - 1;
                addRules(o.longestName(), index, rules);
            }
        }
        // options the command line did not give but a config file did, in the file's order
        List<String> fromConfig = new ArrayList<>();
        for (String name : List.of("--exclude", "--include", "--exclude-from", "--include-from")) {
            if (!parsed.hasMatchedOption(name) && valueCount(name) > 0) {
                fromConfig.add(name);
            }
        }
        fromConfig.sort(Comparator.comparingInt(this::configPosition));
        for (String name : fromConfig) {
            for (int i = 0; i < valueCount(name); i++) {
                try {
                    addRules(name, i, rules);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(configFile().map(f -> "config file " + f + ": ").orElse("")
                            + name.substring(2) + ": " + e.getMessage(), e);
                }
            }
        }
        return rules;
    }

    private static boolean isRuleOption(String name) {
        return name.equals("--exclude") || name.equals("--include") || name.equals("--exclude-from")
                || name.equals("--include-from");
    }

    private void addRules(String option, int index, List<FilterRule> rules) {
        switch (option) {
            case "--exclude" -> rules.add(FilterRule.parse(FilterRule.Action.EXCLUDE, excludes.get(index)));
            case "--include" -> rules.add(FilterRule.parse(FilterRule.Action.INCLUDE, includes.get(index)));
            case "--exclude-from" -> rules.addAll(RuleFile.read(excludeFrom.get(index), FilterRule.Action.EXCLUDE));
            case "--include-from" -> rules.addAll(RuleFile.read(includeFrom.get(index), FilterRule.Action.INCLUDE));
            default -> throw new IllegalStateException("not a rule option: " + option);
        }
    }

    private int valueCount(String option) {
        return switch (option) {
            case "--exclude" -> excludes.size();
            case "--include" -> includes.size();
            case "--exclude-from" -> excludeFrom.size();
            default -> includeFrom.size();
        };
    }

    private java.util.Optional<Path> configFile() {
        return mixee.defaultValueProvider() instanceof ConfigDefaults config ? java.util.Optional.of(config.file())
                : java.util.Optional.empty();
    }

    private int configPosition(String option) {
        return mixee.defaultValueProvider() instanceof ConfigDefaults config
                ? config.line(option.substring(2)) : 0;
    }

    private ParameterException usage(String message) {
        return new ParameterException(mixee.commandLine(), message);
    }
}
