package dev.duplex.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleFileTest {
    @TempDir
    Path tmp;

    @Test
    void readsOnePatternALineSkippingBlankLinesAndCommentsAndWindowsLineEnds() throws Exception {
        Path file = tmp.resolve("rules");
        Files.writeString(file, "# office locks\r\n~$*\r\n\r\n; also a comment\n.snapshot/\n+ keep.tmp\n*.tmp\n",
                StandardCharsets.UTF_8);
        List<FilterRule> rules = RuleFile.read(file, FilterRule.Action.EXCLUDE);
        assertThat(rules).extracting(FilterRule::text).containsExactly("~$*", ".snapshot/", "+ keep.tmp", "*.tmp");
        assertThat(rules.get(2).action()).isEqualTo(FilterRule.Action.INCLUDE);
        assertThat(rules.get(0).matches("~$budget.xlsx", false)).isTrue();
    }

    @Test
    void aMissingFileOrABadPatternIsNamedWithItsLine() throws Exception {
        assertThatThrownBy(() -> RuleFile.read(tmp.resolve("nope"), FilterRule.Action.INCLUDE))
                .hasMessageContaining("--include-from").hasMessageContaining("nope").hasMessageContaining("no such file");
        Path file = tmp.resolve("bad");
        Files.writeString(file, "ok\n[oops\n");
        assertThatThrownBy(() -> RuleFile.read(file, FilterRule.Action.EXCLUDE))
                .hasMessageContaining("--exclude-from").hasMessageContaining("line 2").hasMessageContaining("[oops");
    }
}
