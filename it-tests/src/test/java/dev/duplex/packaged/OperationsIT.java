package dev.duplex.packaged;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** status, history, check and the stats file of the packaged jar, with a real second process during a run. */
class OperationsIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    @BeforeAll
    static void jarIsBuilt() {
        assertThat(DuplexProcess.JAR).as("run 'mvn -B verify' from the root: it packages app first").exists();
    }

    private Path source(int files, int size) throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        for (int i = 0; i < files; i++) {
            byte[] b = new byte[size];
            new Random(i).nextBytes(b);
            Path f = src.resolve("f" + i + ".bin");
            Files.write(f, b);
            Files.setLastModifiedTime(f, FileTime.from(Instant.parse("2024-01-01T00:00:00Z")));
        }
        return src;
    }

    @Test
    void statusFromASecondProcessSeesTheRunningRunAndThenItsEnd() throws Exception {
        // 12 MiB at 32 KiB/s: the run cannot end by itself within the test (over 6 minutes); the test stops it
        Path src = source(3, 4 << 20);
        String db = tmp.resolve("job.db").toString();
        Path prom = tmp.resolve("metrics/duplex.prom");
        Process sync = DuplexProcess.jar("--db", db, "--bwlimit", "32K", "--progress-interval", "1s",
                "--stats-file", prom.toString(), "--stats-interval", "1s", src.toString(),
                tmp.resolve("dst").toString()).start();
        try {
            DuplexProcess.awaitLine(sync, "copying"); // mid-transfer, holding the job lock
            DuplexProcess.Result during = DuplexProcess.run(TIMEOUT, "status", "--json", "--db", db);
            assertThat(during.exitCode()).as(during.toString()).isZero();
            assertThat(during.out()).contains("\"last_run_state\":\"running\"")
                    .contains("\"pid\":" + sync.pid()).contains("\"ended\":null")
                    .containsPattern("\"pending\":\\{\"files\":[1-3],");
            DuplexProcess.Result text = DuplexProcess.run(TIMEOUT, "status", "--db", db);
            assertThat(text.out()).contains("running now (pid " + sync.pid() + ")");
            assertThat(Files.readString(prom)).as("written at the start of the run")
                    .contains("duplex_running{duplex_job=\"job.db\"} 1");
        } finally {
            new ProcessBuilder("kill", "-TERM", Long.toString(sync.pid())).start().waitFor();
            DuplexProcess.Result first = DuplexProcess.finish(sync, TIMEOUT);
            assertThat(first.exitCode()).as(first.toString()).isEqualTo(143);
        }
        DuplexProcess.Result after = DuplexProcess.run(TIMEOUT, "status", "--json", "--db", db);
        assertThat(after.out()).contains("\"last_run_state\":\"ended\"")
                .contains("\"outcome\":\"interrupted\",\"exit_code\":130");
        assertThat(Files.readString(prom)).contains("duplex_running{duplex_job=\"job.db\"} 0")
                .contains("duplex_exit_code{duplex_job=\"job.db\"} 130");
        DuplexProcess.Result finish = DuplexProcess.run(TIMEOUT, "--db", db, src.toString(),
                tmp.resolve("dst").toString());
        assertThat(finish.exitCode()).as(finish.toString()).isZero();
        DuplexProcess.Result history = DuplexProcess.run(TIMEOUT, "history", "--db", db);
        assertThat(history.out().lines().skip(1).toList()).hasSize(2).satisfiesExactly(
                newest -> assertThat(newest).matches("\\s+2 .* 0  synced .*"),
                stopped -> assertThat(stopped).matches("\\s+1 .* 130  interrupted .*"));
    }

    @Test
    void checkOfThePackagedJarFindsACorruptedCopy() throws Exception {
        Path src = source(3, 50_000);
        Path dst = tmp.resolve("dst");
        String db = tmp.resolve("job.db").toString();
        assertThat(DuplexProcess.run(TIMEOUT, "--db", db, src.toString(), dst.toString()).exitCode()).isZero();
        assertThat(DuplexProcess.run(TIMEOUT, "check", "--db", db, src.toString(), dst.toString()).exitCode())
                .isZero();
        byte[] b = Files.readAllBytes(dst.resolve("f1.bin"));
        b[100] ^= 1;
        Files.write(dst.resolve("f1.bin"), b);
        DuplexProcess.Result r = DuplexProcess.run(TIMEOUT, "check", "--db", db, src.toString(), dst.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("MISMATCH " + dst.resolve("f1.bin")).contains("NOT OK");
    }

    @Test
    void theExampleConfigFileOfPackagingIsValid() throws Exception {
        Path example = DuplexProcess.ROOT.resolve("packaging/nightly.toml");
        DuplexProcess.Result r = DuplexProcess.run(TIMEOUT, "status", "--config", example.toString(),
                "--db", tmp.resolve("never.db").toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("has not run yet");
    }
}
