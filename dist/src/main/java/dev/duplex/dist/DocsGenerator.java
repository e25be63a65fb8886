package dev.duplex.dist;

import dev.duplex.cli.CommandTree;
import dev.duplex.cli.RunEnvironment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Generates the man page sources ({@code man/duplex.adoc}, {@code man/duplex-status.adoc}, ...; asciidoctor turns
 * them into {@code .1} files) and the bash/zsh completion script ({@code completion/duplex}) from the real command
 * tree with picocli-codegen. Run by the dist build (exec-maven-plugin); not part of the shipped jar.
 */
public final class DocsGenerator {
    private DocsGenerator() {}

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "target/docs");
        CommandLine tree = CommandTree.full(RunEnvironment.forTests(out.resolve("unused-state")));
        Path man = Files.createDirectories(out.resolve("man"));
        List<CommandSpec> specs = new ArrayList<>();
        specs.add(tree.getCommandSpec());
        tree.getSubcommands().values().stream().map(CommandLine::getCommandSpec)
                .filter(s -> !s.usageMessage().hidden()).forEach(specs::add);
        int code = ManPageGenerator.generateManPage(man.toFile(), null, new boolean[0], true,
                specs.toArray(CommandSpec[]::new));
        if (code != 0) {
            throw new IllegalStateException("ManPageGenerator failed with exit code " + code);
        }
        Path completion = Files.createDirectories(out.resolve("completion")).resolve("duplex");
        Files.writeString(completion, AutoComplete.bash("duplex", tree), StandardCharsets.UTF_8);
    }
}
