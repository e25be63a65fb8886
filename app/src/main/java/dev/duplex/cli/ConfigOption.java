package dev.duplex.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --config FILE} on every command. Main reads the file before parsing (see {@link ConfigDefaults}); the
 * option is declared here so that parsing, help, completion and the man page know it.
 */
public final class ConfigOption {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Read default values of options from this TOML file (see README: key = long option "
                    + "name without --; [status], [check], [history] tables for those commands). Options on the "
                    + "command line win; a repeatable option given there replaces the file's array.")
    Path config;
}
