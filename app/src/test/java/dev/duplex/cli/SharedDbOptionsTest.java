package dev.duplex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.testing.Duplex;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the command line refuses around a PostgreSQL --db, before anything is connected to or touched. */
class SharedDbOptionsTest {
    @TempDir
    Path dir;

    private Duplex.Result run(String... args) throws Exception {
        Files.createDirectories(dir.resolve("src"));
        return Duplex.run(dir.resolve("state"), args);
    }

    @Test
    void aPasswordInTheUrlIsAUsageErrorThatDoesNotRepeatIt() throws Exception {
        Duplex.Result r = run("--db", "postgresql://u:hunter2@db/job", dir.resolve("src").toString(),
                dir.resolve("dst").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("PGPASSWORD").doesNotContain("hunter2");
        assertThat(dir.resolve("dst")).doesNotExist();
    }

    @Test
    void leaseWithoutAPostgresDbAndShardWithOneAreUsageErrors() throws Exception {
        Duplex.Result lease = run("--lease", "30s", dir.resolve("src").toString(), dir.resolve("dst").toString());
        assertThat(lease.exitCode()).isEqualTo(2);
        assertThat(lease.err()).contains("--lease is for a job shared through PostgreSQL");
        Duplex.Result shard = run("--db", "postgresql://db/job", "--shard", "1/2", dir.resolve("src").toString(),
                dir.resolve("dst").toString());
        assertThat(shard.exitCode()).isEqualTo(2);
        assertThat(shard.err()).contains("leave --shard out");
        Duplex.Result dry = run("--db", "postgresql://db/job", "--dry-run", dir.resolve("src").toString(),
                dir.resolve("dst").toString());
        assertThat(dry.exitCode()).isEqualTo(2);
        Duplex.Result shortLease = run("--db", "postgresql://db/job", "--lease", "500ms",
                dir.resolve("src").toString(), dir.resolve("dst").toString());
        assertThat(shortLease.exitCode()).isEqualTo(2);
        assertThat(shortLease.err()).contains("too short");
    }

    @Test
    void checkOfASharedJobSaysItIsNotSupported() throws Exception {
        Duplex.Result r = run("check", "--db", "postgresql://db/job");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("not supported yet");
    }
}
