package dev.duplex.bisync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.tree.RelPath;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClashNamesTest {
    private static final ZoneId OSLO = ZoneId.of("Europe/Oslo");
    private static final Instant WHEN = Instant.parse("2026-11-30T11:05:59Z");   // 12:05 in Oslo

    @ParameterizedTest
    @CsvSource({
            "report.docx, report_clash_202611301205.docx",
            "a/b/archive.tar.gz, a/b/archive.tar_clash_202611301205.gz",
            "Makefile, Makefile_clash_202611301205",
            ".profile, .profile_clash_202611301205",
            "dir/.env.local, dir/.env_clash_202611301205.local",
            "name., name_clash_202611301205.",
    })
    void theOlderVersionsNameFollowsTheContract(String path, String clash) {
        assertThat(ClashNames.pick(RelPath.of(path), WHEN, OSLO, p -> false)).isEqualTo(RelPath.of(clash));
    }

    @Test
    void theTimeIsTheOlderVersionsMtimeInTheGivenZone() {
        assertThat(ClashNames.pick(RelPath.of("x.txt"), WHEN, ZoneId.of("UTC"), p -> false))
                .isEqualTo(RelPath.of("x_clash_202611301105.txt"));
    }

    @Test
    void aTakenNameGetsTwoThenThreeAfterTheTimestamp() {
        Set<RelPath> taken = Set.of(RelPath.of("d/x_clash_202611301205.txt"),
                RelPath.of("d/x_clash_202611301205_2.txt"));
        assertThat(ClashNames.pick(RelPath.of("d/x.txt"), WHEN, OSLO, taken::contains))
                .isEqualTo(RelPath.of("d/x_clash_202611301205_3.txt"));
    }
}
