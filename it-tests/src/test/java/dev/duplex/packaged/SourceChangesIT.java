package dev.duplex.packaged;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The source changing while duplex runs, end to end. The deterministic cases (each kind of change landing mid-copy)
 * are in-process, in SourceChangeDuringCopyTest; here real writers race the packaged jar, and the assertions hold
 * whatever the interleaving.
 */
class SourceChangesIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Instant T0 = Instant.parse("2025-05-05T05:05:05Z");

    @TempDir
    Path tmp;

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /**
     * A log file someone keeps appending to while duplex reads it (slowly, under --bwlimit): whatever the moment, it
     * is either not committed (still pending) or committed with the hash of exactly the bytes in the destination;
     * once the writer stops, the next run copies the final version.
     */
    @Test
    void aFileAppendedToWhileItIsCopiedIsNeverCommittedWithAHashOfOtherBytes() throws Exception {
        Path src = tmp.resolve("src");
        Path growing = Trees.write(src.resolve("growing.log"), random(6 << 20, 1), T0);
        Trees.write(src.resolve("calm.bin"), random(1 << 20, 2), T0);
        Path dst = tmp.resolve("dst");
        Path db = tmp.resolve("job.db");
        List<String> args = List.of("--db", db.toString(), "--bwlimit", "4M", "--progress-interval", "1h",
                src.toString(), dst.toString());
        DuplexProcess.Result r;
        try (RunningDuplex run = RunningDuplex.start(args)) {
            run.line("scan done").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            AtomicBoolean stop = new AtomicBoolean();
            run.process().onExit().thenRun(() -> stop.set(true));
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    while (!stop.get()) { // a load generator, paced so it does not starve the run under test
                        Files.write(growing, "one more line\n".getBytes(), StandardOpenOption.APPEND);
                        Thread.sleep(2);
                    }
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            r = run.finish(TIMEOUT);
            writer.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<List<String>> row = Trees.query(db, "SELECT status, hash FROM files WHERE source_path LIKE '%growing.log'");
        if (row.get(0).get(0).equals("synced")) {
            assertThat(Trees.sha256(dst.resolve("growing.log"))).isEqualTo(row.get(0).get(1));
        } else {
            assertThat(row.get(0).get(0)).isEqualTo("pending");
            assertThat(dst.resolve("growing.log")).doesNotExist();
            assertThat(r.out()).contains("deferred " + growing);
        }
        Trees.assertNoTemps(dst);
        for (String line : Trees.auditLines(tmp.resolve("job.audit.jsonl"), false)) {
            if (line.contains("growing.log") && line.contains("\"event\":\"synced\"")) {
                assertThat(Trees.field(line, "hash")).isEqualTo(Trees.sha256(dst.resolve("growing.log")));
            }
        }
        DuplexProcess.Result next = DuplexProcess.run(TIMEOUT, "--db", db.toString(), src.toString(), dst.toString());
        assertThat(next.exitCode()).as(next.toString()).isZero();
        assertThat(Trees.files(dst)).isEqualTo(Trees.files(src));
    }

    /** Files created after the scan are not in this run's backlog; the next run finds and copies them. */
    @Test
    void aFileCreatedDuringARunIsCopiedByTheNextRun() throws Exception {
        Path src = tmp.resolve("src");
        Trees.write(src.resolve("big.bin"), random(4 << 20, 3), T0);
        Path dst = tmp.resolve("dst");
        Path db = tmp.resolve("job.db");
        DuplexProcess.Result r;
        try (RunningDuplex run = RunningDuplex.start(List.of("--db", db.toString(), "--bwlimit", "4M",
                "--progress-interval", "1h", src.toString(), dst.toString()))) {
            run.line("scan done").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            Trees.write(src.resolve("late/new.txt"), "arrived during the run".getBytes(), T0);
            r = run.finish(TIMEOUT);
        }
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(dst.resolve("late/new.txt")).doesNotExist();
        DuplexProcess.Result next = DuplexProcess.run(TIMEOUT, "--db", db.toString(), src.toString(), dst.toString());
        assertThat(next.exitCode()).as(next.toString()).isZero();
        assertThat(next.out()).contains("copied 1 files");
        assertThat(Trees.files(dst)).isEqualTo(Trees.files(src));
    }
}
