package dev.duplex.packaged;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mount guard with real mounts (tmpfs, as root; skipped elsewhere): a share that is no longer mounted leaves
 * its mount point as a plain local directory, and the next scheduled run must stop before it syncs an empty
 * source or fills the local disk.
 */
class MountGuardIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Instant T0 = Instant.parse("2025-05-05T05:05:05Z");

    @TempDir
    Path tmp;

    private DuplexProcess.Result sync(String... paths) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("--db", tmp.resolve("job.db").toString()));
        args.addAll(List.of(paths));
        return DuplexProcess.run(TIMEOUT, args.toArray(String[]::new));
    }

    @Test
    void anUnmountedSourceStopsTheRunWithExit4AndChangesNothing() throws Exception {
        Path dst = tmp.resolve("dst");
        try (Tmpfs share = Tmpfs.mount(tmp.resolve("share"), "8m")) {
            Trees.write(share.dir().resolve("a.txt"), "on the share".getBytes(), T0);
            assertThat(sync("--delete-extras", share.dir().toString(), dst.toString()).exitCode()).isZero();
        }
        // the share is gone: its mount point is an empty local directory now
        Trees.write(tmp.resolve("share/stray.txt"), "local".getBytes(), T0);
        DuplexProcess.Result r = sync("--delete-extras", tmp.resolve("share").toString(), dst.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
        assertThat(r.err()).contains("SOURCE " + tmp.resolve("share") + " is on ")
                .contains("but this job recorded tmpfs (tmpfs) mounted at " + tmp.resolve("share"))
                .contains("--allow-fs-change");
        assertThat(Trees.files(dst)).containsOnlyKeys("a.txt"); // nothing deleted, nothing copied
    }

    @Test
    void anUnmountedDestinationStopsTheRunBeforeTheLocalDiskIsFilled() throws Exception {
        Path src = tmp.resolve("src");
        Trees.write(src.resolve("a.txt"), "data".getBytes(), T0);
        Path mountPoint = tmp.resolve("backup");
        try (Tmpfs backup = Tmpfs.mount(mountPoint, "8m")) {
            assertThat(sync(src.toString(), backup.dir().resolve("share").toString()).exitCode()).isZero();
        }
        Trees.write(src.resolve("b.txt"), "more".getBytes(), T0);
        DuplexProcess.Result r = sync(src.toString(), mountPoint.resolve("share").toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
        assertThat(r.err()).contains("DEST " + mountPoint.resolve("share") + " is on ")
                .contains("but this job recorded tmpfs (tmpfs) mounted at " + mountPoint);
        assertThat(mountPoint.resolve("share")).doesNotExist(); // not created on the local disk
    }

    /** A job synced once into a tmpfs mounted at dst, which is then unmounted; returns the source. */
    private Path syncedIntoAMountThatIsGone(Path dst) throws Exception {
        Path src = tmp.resolve("src");
        Trees.write(src.resolve("a.txt"), "data".getBytes(), T0);
        try (Tmpfs mounted = Tmpfs.mount(dst, "8m")) {
            assertThat(sync(src.toString(), dst.toString()).exitCode()).isZero();
        }
        return src;
    }

    @Test
    void allowFsChangeAcceptsTheNewFileSystemAndRecordsIt() throws Exception {
        Path dst = tmp.resolve("dst");
        Path src = syncedIntoAMountThatIsGone(dst);
        DuplexProcess.Result moved = sync("--allow-fs-change", src.toString(), dst.toString());
        assertThat(moved.exitCode()).as(moved.toString()).isZero();
        assertThat(moved.out()).contains("--allow-fs-change: recording the new file system");
        assertThat(Trees.files(dst)).containsOnlyKeys("a.txt");
        DuplexProcess.Result next = sync(src.toString(), dst.toString());
        assertThat(next.exitCode()).as(next.toString()).isZero();
        DuplexProcess.Result status = DuplexProcess.run(TIMEOUT, "status", "--db", tmp.resolve("job.db").toString());
        assertThat(status.out()).contains("  dest   ").doesNotContain("tmpfs (tmpfs)");
    }

    @Test
    void aDryRunReportsTheMoveToo() throws Exception {
        Path dst = tmp.resolve("dst");
        Path src = syncedIntoAMountThatIsGone(dst);
        DuplexProcess.Result r = sync("--dry-run", src.toString(), dst.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
        assertThat(Trees.files(dst)).isEmpty();
    }
}
