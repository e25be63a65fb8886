package dev.duplex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** Which words are commands: only the first argument, so every 'duplex SRC DST' stays a sync. */
class CommandTreeTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "status --db x.db          | status",
        "check /a /b               | check",
        "history --json --db x.db  | history",
        "/a status                 | (sync)",
        "/a /b history             | (sync)",
        "./status /b               | (sync)",
        "-- status /b              | (sync)",
        "--bwlimit 1M check /b     | (sync)",
        "/a check                  | (sync)"})
    void aCommandIsRecognisedOnlyAsTheFirstArgument(String line, String expected) {
        String[] args = line.trim().split("\\s+");
        CommandLine cl = CommandTree.forArgs(args, RunEnvironment.forTests(tmp));
        ParseResult parsed = cl.parseArgs(args);
        String command = parsed.hasSubcommand() ? parsed.subcommand().commandSpec().name() : "(sync)";
        assertThat(command).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"/a status, status", "./status /b, ./status", "-- check /b, check"})
    void aWordLikeACommandAfterTheFirstIsAPath(String line, String path) {
        String[] args = line.split(" ");
        ParseResult parsed = CommandTree.forArgs(args, RunEnvironment.forTests(tmp)).parseArgs(args);
        assertThat(parsed.matchedPositionals()).anySatisfy(p -> assertThat(p.getValue().toString()).isEqualTo(path));
    }

    @org.junit.jupiter.api.Test
    void theNamesThatSelectTheWholeTreeAreItsCommands() {
        org.assertj.core.api.Assertions.assertThat(CommandTree.full(RunEnvironment.forTests(java.nio.file.Path.of(
                "/nonexistent"))).getSubcommands().keySet()).containsExactlyInAnyOrderElementsOf(CommandTree.COMMANDS);
    }
}
