package dev.duplex.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * duplex's filter against rsync's answers on the same tree and rules: the stored table (every build), and the
 * table against rsync itself where rsync is installed (so the table cannot drift from what rsync does).
 */
class FilterRsyncReferenceTest {
    static Stream<RsyncReference.Case> cases() throws IOException {
        return RsyncReference.cases().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aWalkIncludesWhatRsyncIncludes(RsyncReference.Case c) throws IOException {
        PathFilter filter = filterOf(c.rules());
        assertThat(walk(filter, RsyncReference.tree())).containsExactlyElementsOf(new TreeSet<>(c.includes()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aPathLookedAtOnItsOwnIsDecidedAsTheWalkDecidesIt(RsyncReference.Case c) throws IOException {
        PathFilter filter = filterOf(c.rules());
        List<String> included = new ArrayList<>();
        for (String p : RsyncReference.tree()) {
            boolean dir = p.endsWith("/");
            String rel = dir ? p.substring(0, p.length() - 1) : p;
            if (!filter.excludesPath(rel, dir, dir ? OptionalLong.empty() : OptionalLong.of(0))) {
                included.add(p);
            }
        }
        assertThat(new TreeSet<>(included)).containsExactlyElementsOf(new TreeSet<>(c.includes()));
    }

    @Test
    void theStoredTableIsWhatRsyncAnswersHere(@TempDir Path tmp) throws Exception {
        assumeTrue(onPath("rsync"), "rsync is not installed (apt-get install rsync); the stored table is still checked");
        Path root = tmp.resolve("tree");
        for (String p : RsyncReference.tree()) {
            Path full = root.resolve(p);
            if (p.endsWith("/")) {
                Files.createDirectories(full);
            } else {
                Files.createDirectories(full.getParent());
                Files.createFile(full);
            }
        }
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        for (RsyncReference.Case c : RsyncReference.cases()) {
            List<String> command = new ArrayList<>(List.of("rsync", "-n", "-r", "--out-format=%n"));
            c.rules().forEach(r -> command.add(r.asRsyncArgument()));
            command.add(root + "/");
            command.add(dst + "/");
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(c.toString()).isZero();
            TreeSet<String> listed = new TreeSet<>(out.lines().filter(l -> !l.isEmpty() && !l.equals("./")).toList());
            assertThat(listed).as(c.toString()).containsExactlyElementsOf(new TreeSet<>(c.includes()));
        }
    }

    private static PathFilter filterOf(List<RsyncReference.Rule> rules) {
        return new PathFilter(rules.stream().map(r -> FilterRule.parse(r.action(), r.pattern())).toList(),
                OptionalLong.empty(), OptionalLong.empty());
    }

    /** A walk as the scan does it: pre-order, an excluded directory not entered. Returns rsync's listing form. */
    private static TreeSet<String> walk(PathFilter filter, List<String> tree) {
        TreeSet<String> included = new TreeSet<>();
        walkDir(filter, tree, "", included);
        return included;
    }

    private static void walkDir(PathFilter filter, List<String> tree, String dir, TreeSet<String> included) {
        for (String p : tree) {
            boolean isDir = p.endsWith("/");
            String rel = isDir ? p.substring(0, p.length() - 1) : p;
            String parent = rel.contains("/") ? rel.substring(0, rel.lastIndexOf('/')) : "";
            if (!parent.equals(dir) || filter.excludes(rel, isDir)) {
                continue;
            }
            included.add(p);
            if (isDir) {
                walkDir(filter, tree, rel, included);
            }
        }
    }

    private static boolean onPath(String program) {
        try {
            Process p = new ProcessBuilder(program, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
