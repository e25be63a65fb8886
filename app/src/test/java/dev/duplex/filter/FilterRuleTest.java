package dev.duplex.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The matching rules the rsync table does not reach: kinds, prefixes, escapes, bad patterns, sizes, the job text. */
class FilterRuleTest {
    @ParameterizedTest(name = "{0} on {1} (dir {2}) -> {3}")
    @CsvSource(delimiter = '|', value = {
        "cache/       | a/cache      | true  | true",
        "cache/       | a/cache      | false | false",
        "*.tmp        | x.tmp        | false | true",
        "*.tmp        | d/x.tmp      | false | true",
        "*.tmp        | x.tmpl       | false | false",
        "/top         | top          | false | true",
        "/top         | a/top        | false | false",
        "a/*/c        | a/b/c        | false | true",
        "a/*/c        | a/b/x/c      | false | false",
        "a/**/c       | a/b/x/c      | false | true",
        "a/**/c       | z/a/b/x/c    | false | true",
        "**/c         | z/a/c        | false | true",
        "[[:digit:]]* | 9lives       | false | true",
        "[[:digit:]]* | lives9       | false | false",
        "[!a]*        | a            | false | false",
        "[!a]*        | b            | false | true",
        "[a-]x        | -x           | false | true",
        "?            | ab           | false | false",
        "a?c          | a/c          | false | false",
        "dir/***      | dir          | true  | true",
        "dir/***      | dir/x/y      | false | true",
        "dir/***      | dirx         | true  | false",
        "Report.TXT   | report.txt   | false | false",
    })
    void matchesAsRsyncDoes(String pattern, String path, boolean isDir, boolean expected) {
        assertThat(FilterRule.parse(FilterRule.Action.EXCLUDE, pattern).matches(path, isDir)).isEqualTo(expected);
    }

    @Test
    void aStarMatchesANameWithANewline() {
        assertThat(FilterRule.parse(FilterRule.Action.EXCLUDE, "a*b").matches("a\nb", false)).isTrue();
    }

    @Test
    void aPlusOrMinusPrefixChoosesTheActionAsInRsync() {
        assertThat(FilterRule.parse(FilterRule.Action.EXCLUDE, "+ keep").action()).isEqualTo(FilterRule.Action.INCLUDE);
        assertThat(FilterRule.parse(FilterRule.Action.INCLUDE, "- drop").action()).isEqualTo(FilterRule.Action.EXCLUDE);
        assertThat(FilterRule.parse(FilterRule.Action.EXCLUDE, "+keep").matches("+keep", false)).isTrue();
    }

    @Test
    void aBackslashEscapesAWildcardButIsLiteralInAPlainName() {
        assertThat(FilterRule.parse(FilterRule.Action.EXCLUDE, "a\\*").matches("a*", false)).isTrue();
        assertThat(FilterRule.parse(FilterRule.Action.EXCLUDE, "a\\*").matches("ab", false)).isFalse();
        assertThat(FilterRule.parse(FilterRule.Action.EXCLUDE, "a\\b").matches("a\\b", false)).isTrue();
    }

    @Test
    void patternsThatCouldNeverMatchAreRefusedWithTheirText() {
        assertThatThrownBy(() -> FilterRule.parse(FilterRule.Action.EXCLUDE, "a[bc"))
                .hasMessageContaining("'a[bc'").hasMessageContaining("]");
        assertThatThrownBy(() -> FilterRule.parse(FilterRule.Action.EXCLUDE, "/"))
                .hasMessageContaining("--exclude '/'");
        assertThatThrownBy(() -> FilterRule.parse(FilterRule.Action.INCLUDE, ""))
                .hasMessageContaining("--include ''");
        assertThatThrownBy(() -> FilterRule.parse(FilterRule.Action.EXCLUDE, "[z-a]"))
                .hasMessageContaining("'[z-a]'");
    }

    @Test
    void theFirstMatchingRuleDecidesAndNoMatchIncludes() {
        PathFilter f = filter("+ important.tmp", "- *.tmp");
        assertThat(f.excludes("important.tmp", false)).isFalse();
        assertThat(f.excludes("other.tmp", false)).isTrue();
        assertThat(f.excludes("other.txt", false)).isFalse();
    }

    @Test
    void aFileOfExactlyABoundIsKeptByBothSizeFilters() {
        PathFilter f = new PathFilter(List.of(), OptionalLong.of(10), OptionalLong.of(20));
        assertThat(f.excludesSize(9)).isTrue();
        assertThat(f.excludesSize(10)).isFalse();
        assertThat(f.excludesSize(20)).isFalse();
        assertThat(f.excludesSize(21)).isTrue();
        assertThat(PathFilter.NONE.excludesSize(Long.MAX_VALUE)).isFalse();
    }

    @Test
    void aPathLookedAtAloneIsExcludedThroughAnExcludedDirectory() {
        PathFilter f = filter("- .snapshot/");
        assertThat(f.excludesPath(".snapshot/hourly/report.pdf", false, OptionalLong.of(1))).isTrue();
        assertThat(f.excludesPath("docs/report.pdf", false, OptionalLong.of(1))).isFalse();
        assertThat(f.excludesPath(".snapshot", false, OptionalLong.of(1))).isFalse(); // a file of that name
    }

    @Test
    void theJobRecordsTheFiltersAsQuotedOptionsInOrder() {
        PathFilter f = new PathFilter(List.of(FilterRule.parse(FilterRule.Action.INCLUDE, "*/"),
                FilterRule.parse(FilterRule.Action.EXCLUDE, "it's *")), OptionalLong.of(1024), OptionalLong.empty());
        assertThat(f.describe()).isEqualTo("--include '*/' --exclude 'it'\\''s *' --min-size 1024");
        assertThat(PathFilter.NONE.describe()).isEmpty();
        assertThat(PathFilter.NONE.isEmpty()).isTrue();
    }

    private static PathFilter filter(String... rules) {
        return new PathFilter(java.util.Arrays.stream(rules).map(r -> FilterRule.parse(FilterRule.Action.EXCLUDE, r))
                .toList(), OptionalLong.empty(), OptionalLong.empty());
    }

    @Test
    void aPatternMadeToBacktrackIsMatchedInTimeBoundedByItsLength() {
        // found by review: patterns were Java regexes, and a daemon walks with its clients' patterns; this one made
        // the regex engine backtrack for minutes over one 255-character name (exponential in the number of stars)
        GlobPattern hostile = GlobPattern.compile("**Z".repeat(14) + "**Y");
        String name = "Z".repeat(255);
        boolean[] matched = {true};
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(30),
                () -> {
                    matched[0] = hostile.matches(name) || hostile.matches("dir/" + name);
                });
        org.assertj.core.api.Assertions.assertThat(matched[0]).isFalse();
        org.assertj.core.api.Assertions.assertThat(hostile.matches("Z".repeat(14) + "Y")).isTrue();
    }
}
