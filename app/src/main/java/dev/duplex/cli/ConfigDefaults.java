package dev.duplex.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;
import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * {@code --config FILE}: default values for options from a TOML file, so that a scheduler's command line can be
 * just {@code duplex --config /etc/duplex/nightly.toml}. Keys are long option names without {@code --}
 * ({@code bwlimit = "20M"}, {@code verify = true}) and {@code source}, {@code dest}, {@code dest2}; a table
 * {@code [status]}, {@code [check]} or {@code [history]} holds values for that command only. Picocli asks this
 * provider only for what the command line did not give, so the command line always wins; positional paths from
 * the file are used only when the command line gives none. Unknown keys are an error (a typo must not be ignored).
 */
final class ConfigDefaults implements IDefaultValueProvider {
    /** The table of e-mail settings ({@code bisync}), not options. */
    static final String MAIL_TABLE = "email";

    private static final Set<String> POSITIONAL_KEYS = Set.of("source", "dest", "dest2");
    private static final Set<String> NOT_CONFIGURABLE = Set.of("help", "version", "config");

    private final Map<String, String> common;
    private final Map<String, Map<String, String>> perCommand;
    private final Map<String, Integer> lines;
    private final Path file;

    private ConfigDefaults(Map<String, String> common, Map<String, Map<String, String>> perCommand,
                           Map<String, Integer> lines, Path file) {
        this.common = common;
        this.perCommand = perCommand;
        this.lines = lines;
        this.file = file;
    }

    /** The config file the values come from. */
    Path file() {
        return file;
    }

    /** The line of the file where a top-level key is set (0 when it is not): the order of filter rules. */
    int line(String key) {
        return lines.getOrDefault(key, 0);
    }

    /** The {@code --config} value among {@code args} (before a {@code --}), if there is one. */
    static Optional<Path> pathIn(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--")) {
                break;
            }
            if (args[i].equals("--config") && i + 1 < args.length) {
                return Optional.of(Path.of(args[i + 1]));
            }
            if (args[i].startsWith("--config=")) {
                return Optional.of(Path.of(args[i].substring("--config=".length())));
            }
        }
        return Optional.empty();
    }

    /**
     * Reads {@code file} and checks every key against the options of {@code root} and its subcommands.
     *
     * @throws IllegalArgumentException with a message for the user: unreadable file, TOML syntax, unknown key
     */
    static ConfigDefaults load(Path file, CommandLine root) {
        TomlParseResult toml;
        try {
            toml = Toml.parse(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the config file " + file + ": " + e);
        }
        if (toml.hasErrors()) {
            throw new IllegalArgumentException("config file " + file + ": " + toml.errors().get(0));
        }
        Map<String, String> common = new HashMap<>();
        Map<String, Map<String, String>> perCommand = new HashMap<>();
        Map<String, Integer> lines = new HashMap<>();
        Set<String> anyCommand = allKeys(root);
        Set<String> lists = listKeys(root);
        for (String key : toml.keySet()) {
            Object value = toml.get(key);
            org.tomlj.TomlPosition at = toml.inputPositionOf(java.util.List.of(key));
            lines.put(key, at == null ? 0 : at.line());
            if (value instanceof TomlTable && MAIL_TABLE.equals(key)) {
                continue;                   // bisync's e-mail settings: read by the notify package
            }
            if (value instanceof TomlTable table) {
                CommandLine sub = root.getSubcommands().get(key);
                if (sub == null) {
                    throw new IllegalArgumentException("config file " + file + ": unknown table [" + key
                            + "] (known: " + root.getSubcommands().keySet().stream()
                            .filter(n -> !n.equals("generate-completion")).map(n -> "[" + n + "]").sorted()
                            .collect(java.util.stream.Collectors.joining(", ")) + ")");
                }
                Map<String, String> own = new HashMap<>();
                Set<String> known = keysOf(sub.getCommandSpec());
                for (String subKey : table.keySet()) {
                    own.put(subKey, checked(file, "[" + key + "] ", subKey, table.get(subKey), known, lists));
                }
                perCommand.put(key, own);
            } else {
                common.put(key, checked(file, "", key, value, anyCommand, lists));
            }
        }
        return new ConfigDefaults(common, perCommand, lines, file);
    }

    private static String checked(Path file, String where, String key, Object value, Set<String> known,
                                  Set<String> lists) {
        if (!known.contains(key)) {
            throw new IllegalArgumentException("config file " + file + ": unknown key " + where + key
                    + " (known: " + String.join(", ", new TreeSet<>(known)) + ")");
        }
        if (value instanceof TomlArray array && lists.contains(key)) {
            return joined(file, where + key, array, key);
        }
        if (value instanceof String text) {
            return besideConfigIfPath(file, key, text);
        }
        if (value instanceof TomlTable || value instanceof TomlArray) {
            throw new IllegalArgumentException("config file " + file + ": " + where + key
                    + " must be a string, number or boolean" + (lists.contains(key) ? " or an array of strings" : ""));
        }
        return value.toString();
    }

    /**
     * A repeatable option's array as one default value, its elements separated as the option splits them; a
     * {@code $} is escaped, so picocli's variable expansion leaves a pattern such as {@code $RECYCLE.BIN/} alone.
     */
    /**
     * Files named in a config file are found beside it when their path is relative (cron starts in $HOME): rule
     * files, the token, TLS files, and a module's directory ({@code NAME=PATH}).
     */
    private static final Set<String> PATH_KEYS = Set.of("exclude-from", "include-from", "token-file", "tls-ca",
            "tls-cert", "tls-key", "tls-self-signed");

    private static String besideConfigIfPath(Path file, String key, String text) {
        if (PATH_KEYS.contains(key)) {
            return text.equals("-") ? text : besideConfig(file, text);
        }
        int eq = text.indexOf('=');
        if (key.equals("module") && eq > 0) {
            return text.substring(0, eq + 1) + besideConfig(file, text.substring(eq + 1));
        }
        return text;
    }

    private static String besideConfig(Path file, String path) {
        Path p = Path.of(path);
        Path dir = file.toAbsolutePath().getParent();
        return p.isAbsolute() || dir == null ? path : dir.resolve(p).toString();
    }

    private static String joined(Path file, String key, TomlArray array, String option) {
        java.util.List<String> elements = new java.util.ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            Object element = array.get(i);
            if (!(element instanceof String text)) {
                throw new IllegalArgumentException("config file " + file + ": " + key + " must be an array of strings");
            }
            elements.add(besideConfigIfPath(file, option, text).replace("${", "$${"));
        }
        if (elements.isEmpty()) {
            throw new IllegalArgumentException("config file " + file + ": " + key + " is an empty array; leave it out");
        }
        return String.join(FilterOptions.LIST_SEPARATOR, elements);
    }

    /** The keys of repeatable options, which a file may give as arrays. */
    private static Set<String> listKeys(CommandLine root) {
        Set<String> keys = new HashSet<>();
        java.util.List<CommandSpec> specs = new java.util.ArrayList<>();
        specs.add(root.getCommandSpec());
        root.getSubcommands().values().forEach(sub -> specs.add(sub.getCommandSpec()));
        for (CommandSpec spec : specs) {
            for (OptionSpec o : spec.options()) {
                if (o.isMultiValue() && !o.splitRegex().isEmpty()) {
                    keyOf(o).ifPresent(keys::add);
                }
            }
        }
        return keys;
    }

    private static Set<String> allKeys(CommandLine root) {
        Set<String> all = new HashSet<>(keysOf(root.getCommandSpec()));
        root.getSubcommands().values().forEach(sub -> all.addAll(keysOf(sub.getCommandSpec())));
        return all;
    }

    private static Set<String> keysOf(CommandSpec spec) {
        Set<String> keys = new HashSet<>();
        for (OptionSpec o : spec.options()) {
            keyOf(o).ifPresent(keys::add);
        }
        for (PositionalParamSpec p : spec.positionalParameters()) {
            keyOf(p).ifPresent(keys::add);
        }
        return keys;
    }

    private static Optional<String> keyOf(ArgSpec arg) {
        String key;
        if (arg instanceof OptionSpec o) {
            String longest = o.longestName();
            if (!longest.startsWith("--")) {
                return Optional.empty();
            }
            key = longest.substring(2);
        } else {
            key = ((PositionalParamSpec) arg).paramLabel().toLowerCase(Locale.ROOT);
            if (!POSITIONAL_KEYS.contains(key)) {
                return Optional.empty();
            }
        }
        return NOT_CONFIGURABLE.contains(key) ? Optional.empty() : Optional.of(key);
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        Optional<String> key = keyOf(arg);
        if (key.isEmpty() || arg.command() == null) {
            return null;
        }
        if (arg instanceof PositionalParamSpec && anyPositionalGiven(arg.command())) {
            return null;
        }
        Map<String, String> own = perCommand.getOrDefault(arg.command().name(), Map.of());
        return own.getOrDefault(key.get(), common.get(key.get()));
    }

    /** Paths on the command line replace the file's paths as a whole, never one of them. */
    private static boolean anyPositionalGiven(CommandSpec command) {
        return command.positionalParameters().stream().anyMatch(p -> !p.originalStringValues().isEmpty());
    }
}
