package dev.duplex.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Builds the command line: {@code duplex [OPTIONS] SOURCE DEST [DEST2]} (the sync, as always) plus the commands
 * {@code status}, {@code check}, {@code history}, {@code serve} (and the hidden {@code generate-completion}).
 *
 * <p>Picocli takes any argument that equals a subcommand name as that subcommand, wherever it stands, so
 * {@code duplex /src status} would run {@code status}. To keep {@code duplex SRC DST} meaning "sync" for every
 * name, a command is recognised only as the <em>first</em> argument: {@link #forArgs} parses anything else with a
 * sync-only command line that has no subcommands at all. A source directory literally named like a command is
 * given as {@code ./status} (or after {@code --}).
 */
public final class CommandTree {
    private static final String[] SYNOPSIS = {"duplex [OPTIONS] SOURCE DEST [DEST2]",
        "       duplex COMMAND [OPTIONS] [--db PATH | SOURCE DEST [DEST2]]"};

    private CommandTree() {}

    /** The whole tree, for a command line whose first argument is a command, and for help, man page, completion. */
    public static CommandLine full(RunEnvironment environment) {
        CommandLine root = new CommandLine(new SyncCommand(environment));
        root.addSubcommand("status", new StatusCommand(environment));
        root.addSubcommand("check", new CheckCommand(environment));
        root.addSubcommand("history", new HistoryCommand(environment));
        root.addSubcommand("serve", new ServeCommand());
        root.addSubcommand("bisync", new BisyncCommand(environment));
        root.addSubcommand("conflicts", new ConflictsCommand(environment));
        CommandLine completion = new CommandLine(new AutoComplete.GenerateCompletion());
        completion.getCommandSpec().usageMessage().hidden(true);
        root.addSubcommand("generate-completion", completion);
        // SOURCE and DEST stay required for the sync (checked by the sync-only line); here a command stands alone
        relax(root.getCommandSpec());
        root.getCommandSpec().usageMessage().customSynopsis(SYNOPSIS);
        root.getCommandSpec().usageMessage().header(
                "Streaming, resumable, audited file-tree sync between network shares.");
        root.getCommandSpec().usageMessage().commandListHeading(
                "Commands (only as the first argument; see 'duplex COMMAND --help'):%n");
        root.getCommandSpec().subcommands().values().forEach(sub -> optionalBooleanValues(sub.getCommandSpec()));
        optionalBooleanValues(root.getCommandSpec());
        return root;
    }

    /** The commands {@link #full} adds, by name: a command line starting with one of them needs the whole tree. */
    static final java.util.Set<String> COMMANDS = java.util.Set.of("status", "check", "history", "serve", "bisync", "conflicts",
            "generate-completion");

    /**
     * The command line for {@code args}: the whole tree when the first argument is a command, else the sync alone
     * (the whole tree is built only when its help is shown: building it costs a run's start-up time).
     */
    public static CommandLine forArgs(String[] args, RunEnvironment environment) {
        if (args.length > 0 && COMMANDS.contains(args[0])) {
            return full(environment);
        }
        CommandLine sync = new CommandLine(new SyncCommand(environment));
        optionalBooleanValues(sync.getCommandSpec());
        sync.getCommandSpec().usageMessage().customSynopsis(SYNOPSIS);
        // the sync-only line lists the commands in its help as the whole tree would
        sync.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST_HEADING,
                help -> full(environment).getHelp().commandListHeading());
        sync.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST,
                help -> full(environment).getHelp().commandList());
        return sync;
    }

    /**
     * Picocli reads an argument that starts with {@code @} as an argument file, also when it is an option's value:
     * {@code --exclude @eaDir} (a Synology share's metadata directory) would read a file named {@code eaDir}, or fail
     * on a directory of that name. A value given after an option that takes one is escaped ({@code @@}, which
     * picocli reads as a literal {@code @}); an {@code @FILE} anywhere else is still an argument file.
     */
    public static String[] literalOptionValues(CommandLine cl, String[] args) {
        CommandLine command = args.length > 0 && cl.getSubcommands().containsKey(args[0])
                ? cl.getSubcommands().get(args[0]) : cl;
        java.util.Set<String> takesValue = new java.util.HashSet<>();
        for (OptionSpec o : command.getCommandSpec().options()) {
            if (o.arity().min() >= 1) {
                takesValue.addAll(List.of(o.names()));
            }
        }
        String[] out = args.clone();
        for (int i = 0; i + 1 < out.length; i++) {
            if (out[i].equals("--")) {
                break;
            }
            if (takesValue.contains(out[i]) && out[i + 1].startsWith("@")) {
                out[i + 1] = "@" + out[i + 1];
                i++;
            }
        }
        return out;
    }

    /**
     * With {@code --config FILE} among {@code args}, the file's values become the defaults of {@code cl} and its
     * subcommands.
     *
     * @throws IllegalArgumentException with a message for the user when the file cannot be used
     */
    public static void applyConfig(CommandLine cl, String[] args, RunEnvironment environment) {
        java.util.Optional<java.nio.file.Path> file = ConfigDefaults.pathIn(args);
        if (file.isPresent()) {
            // keys are checked against every command, whichever line this run parses with
            cl.setDefaultValueProvider(ConfigDefaults.load(file.get(), full(environment)));
        }
    }

    /**
     * A boolean flag given on the command line is set to the opposite of its default in picocli, so a flag that a
     * {@code --config} file turned on would be turned off again by repeating it. Giving every flag an optional
     * value ({@code --verify}, {@code --verify=true}, {@code --verify=false}) makes the command line win both ways.
     */
    static void optionalBooleanValues(CommandSpec spec) {
        List<OptionSpec> options = new ArrayList<>(spec.options());
        options.forEach(spec::remove);
        for (OptionSpec o : options) {
            boolean flag = (o.type() == boolean.class || o.type() == Boolean.class) && o.arity().max() == 0
                    && !o.usageHelp() && !o.versionHelp();
            spec.addOption(flag ? OptionSpec.builder(o).arity("0..1").fallbackValue("true")
                    .paramLabel("true|false").build() : o);
        }
    }

    private static void relax(CommandSpec spec) {
        List<PositionalParamSpec> params = new ArrayList<>(spec.positionalParameters());
        params.forEach(spec::remove);
        params.forEach(p -> spec.addPositional(PositionalParamSpec.builder(p).arity("0..1").required(false).build()));
    }
}
