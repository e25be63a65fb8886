package dev.duplex.packaged;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 as a user meets it, with the packaged jar: a share root with snapshots and Office lock files, filtered
 * the rsync way, published to two destinations with ready markers and a success marker; the state directory from
 * the environment's HOME.
 */
class FiltersAndMarkersIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Instant T0 = Instant.parse("2025-06-06T06:06:06Z");

    @TempDir
    Path tmp;

    private Path share() {
        Path src = tmp.resolve("share");
        Trees.write(src.resolve(".snapshot/hourly.0/q3.xlsx"), "old".getBytes(), T0);
        Trees.write(src.resolve("finance/q3.xlsx"), "numbers".getBytes(), T0);
        Trees.write(src.resolve("finance/~$q3.xlsx"), "lock".getBytes(), T0);
        Trees.write(src.resolve("finance/.~lock.plan.ods#"), "lock".getBytes(), T0);
        Trees.write(src.resolve("reports/2025.pdf"), "report".getBytes(), T0);
        return src;
    }

    @Test
    void aFilteredShareIsPublishedToTwoDestinationsWithReadyMarkersAndASuccessMarker() throws Exception {
        Path src = share();
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        Path rules = tmp.resolve("share.rules");
        Files.writeString(rules, "# not data\n.snapshot/\n~$*\n.~lock.*#\n");
        DuplexProcess.Result r = DuplexProcess.run(TIMEOUT, "--db", tmp.resolve("job.db").toString(),
                "--exclude-from", rules.toString(), "--ready-suffix", ".ready", "--success-marker", "_SUCCESS",
                src.toString(), a.toString(), b.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        for (Path d : List.of(a, b)) {
            assertThat(Trees.files(d)).containsOnlyKeys("finance/q3.xlsx", "finance/q3.xlsx.ready",
                    "reports/2025.pdf", "reports/2025.pdf.ready", "_SUCCESS");
            assertThat(Files.readString(d.resolve("finance/q3.xlsx.ready"))).contains("\"size\":7")
                    .contains("\"algo\":\"sha256\"").contains("\"hash\":\"" + Trees.sha256(src.resolve("finance/q3.xlsx")));
        }
        assertThat(r.out()).contains("left out by the filters: 2 files (8 B), 1 directory (not walked)");
    }

    @Test
    void theDefaultStateDirectoryFollowsTheEnvironmentsHomeFromABareEnvironment() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/env")), "needs /usr/bin/env");
        Path src = share();
        Path home = Files.createDirectories(tmp.resolve("ci-home"));
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/env", "-i", "HOME=" + home, "LC_ALL=C.UTF-8",
                DuplexProcess.javaBinary(), "-jar", DuplexProcess.JAR.toString(), src.toString(), tmp.resolve("dst").toString());
        DuplexProcess.Result r = DuplexProcess.finish(pb.start(), TIMEOUT);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Path state = home.resolve(".local/state/duplex");
        try (var files = Files.list(state)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".db")))
                    .singleElement().asString().startsWith("share-");
        }

        Path xdg = Files.createDirectories(tmp.resolve("xdg"));
        ProcessBuilder withXdg = new ProcessBuilder("/usr/bin/env", "-i", "HOME=" + home, "XDG_STATE_HOME=" + xdg,
                "LC_ALL=C.UTF-8", DuplexProcess.javaBinary(), "-jar", DuplexProcess.JAR.toString(), "status", src.toString(),
                tmp.resolve("dst").toString());
        DuplexProcess.Result status = DuplexProcess.finish(withXdg.start(), TIMEOUT);
        assertThat(status.out()).contains("no job db at " + xdg.resolve("duplex"));
    }
}
