package dev.duplex.packaged;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.duplex.packaged.Trees.Version;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disk and db faults, injected for real where the machine allows it (tmpfs mounts need root; an unreadable db needs
 * a user that permissions apply to, so as root the run drops to nobody): full destinations, a full, read-only,
 * unreadable or damaged state db, a full audit-log disk. Each must end with a clear message and the documented exit
 * code, leave nothing half-written, and let the next run (after the fault is fixed) complete.
 */
class FaultsIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Instant T0 = Instant.parse("2025-03-03T03:03:03.5Z");

    @TempDir
    Path tmp;

    private Path src;

    private Path source(int files, int sizeBytes, long seed) {
        src = tmp.resolve("src");
        Random r = new Random(seed);
        for (int i = 0; i < files; i++) {
            byte[] b = new byte[sizeBytes];
            r.nextBytes(b);
            Trees.write(src.resolve(String.format("f%03d.bin", i)), b, T0.plusSeconds(i));
        }
        return src;
    }

    private static DuplexProcess.Result run(String... args) throws Exception {
        return DuplexProcess.run(TIMEOUT, args);
    }

    /** Destination files under final names are exactly source files; no temp files anywhere. */
    private void assertOnlyWholeFiles(Path dest) {
        Trees.files(dest).forEach((rel, v) -> assertThat(v).as(rel).isEqualTo(Trees.version(src.resolve(rel))));
        Trees.assertNoTemps(dest);
    }

    @Test
    void aFullDestinationFailsEachFileCleanlyAndRepeatedFailuresStopTheRunWithExit4() throws Exception {
        source(10, 300 * 1024, 1);
        Path db = tmp.resolve("job.db");
        try (Tmpfs dest = Tmpfs.mount(tmp.resolve("dst"), "1m")) {
            DuplexProcess.Result r = run("--db", db.toString(), "--max-dest-failures", "3", src.toString(),
                    dest.dir().toString());
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
            assertThat(r.err()).contains("No space left on device")
                    .contains("stopping: 3 files in a row failed on the destination")
                    .contains("fix the destination (space, permissions, a share not mounted, a daemon not running) and run again");
            assertOnlyWholeFiles(dest.dir());
            assertThat(Trees.files(dest.dir())).hasSizeBetween(1, 3);
            assertThat(Trees.query(db, "SELECT count(*) FROM files WHERE status='pending'").get(0).get(0))
                    .isEqualTo(Integer.toString(10 - Trees.files(dest.dir()).size()));
            Trees.assertDbIntact(db);

            dest.resize("16m");
            DuplexProcess.Result again = run("--db", db.toString(), src.toString(), dest.dir().toString());
            assertThat(again.exitCode()).as(again.toString()).isZero();
            assertThat(Trees.files(dest.dir())).isEqualTo(Trees.files(src));
        }
    }

    @Test
    void aFileTooBigForWhatIsLeftFailsAloneWithExit1AndTheOthersAreCopied() throws Exception {
        source(5, 10 * 1024, 2);
        Trees.write(src.resolve("huge.bin"), new byte[3 << 20], T0);
        Path db = tmp.resolve("job.db");
        try (Tmpfs dest = Tmpfs.mount(tmp.resolve("dst"), "2m")) {
            DuplexProcess.Result r = run("--db", db.toString(), src.toString(), dest.dir().toString());
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
            assertThat(r.err()).contains("failed: " + src.resolve("huge.bin")).contains("No space left on device");
            assertOnlyWholeFiles(dest.dir());
            assertThat(Trees.files(dest.dir())).hasSize(5).doesNotContainKey("huge.bin");
            dest.resize("8m");
            DuplexProcess.Result again = run("--db", db.toString(), src.toString(), dest.dir().toString());
            assertThat(again.exitCode()).as(again.toString()).isZero();
            assertThat(Trees.files(dest.dir())).isEqualTo(Trees.files(src));
        }
    }

    @Test
    void aFullSecondDestinationCommitsTheFileOnNeither() throws Exception {
        source(3, 10 * 1024, 3);
        Trees.write(src.resolve("huge.bin"), new byte[3 << 20], T0);
        Path a = tmp.resolve("a");
        try (Tmpfs b = Tmpfs.mount(tmp.resolve("b"), "2m")) {
            DuplexProcess.Result r = run("--db", tmp.resolve("job.db").toString(), src.toString(), a.toString(),
                    b.dir().toString());
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
            assertThat(r.err()).contains("DEST2").contains("No space left on device");
            for (Path d : List.of(a, b.dir())) {
                assertOnlyWholeFiles(d);
                assertThat(Trees.files(d)).hasSize(3).doesNotContainKey("huge.bin");
            }
        }
    }

    /**
     * Issue 13's defect, with the default four lanes: while the 64 MiB file's temp filled the 40 MiB destination,
     * the small files of the other lanes failed for lack of space, --max-dest-failures took them for a dead
     * destination, and the run stopped with exit 4. Only the file that cannot fit may fail.
     */
    @ParameterizedTest(name = "{0} destination(s)")
    @ValueSource(ints = {1, 2})
    void aFillingDestinationFailsOnlyTheFileThatCannotFitAndCopiesEverythingElse(int destinations) throws Exception {
        source(20, 64 * 1024, 14);
        Trees.write(src.resolve("big.bin"), new byte[64 << 20], T0);
        byte[] mid = new byte[2 << 20];
        new Random(15).nextBytes(mid);
        Trees.write(src.resolve("mid.bin"), mid, T0);
        Path db = tmp.resolve("job.db");
        List<Tmpfs> mounts = new java.util.ArrayList<>();
        try {
            for (int i = 1; i <= destinations; i++) {
                mounts.add(Tmpfs.mount(tmp.resolve("d" + i), "40m"));
            }
            List<String> args = new java.util.ArrayList<>(List.of("--db", db.toString(), src.toString()));
            mounts.forEach(m -> args.add(m.dir().toString()));
            DuplexProcess.Result r = run(args.toArray(String[]::new));
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
            assertThat(r.err()).contains("failed: " + src.resolve("big.bin")).contains("No space left on device")
                    .doesNotContain("stopping:");
            List<String> failed = Trees.auditLines(tmp.resolve("job.audit.jsonl"), false).stream()
                    .filter(l -> "failed".equals(Trees.field(l, "event"))).toList();
            assertThat(failed).singleElement().satisfies(l -> {
                assertThat(Trees.field(l, "source")).isEqualTo(src.resolve("big.bin").toString());
                assertThat(Trees.field(l, "error")).contains("No space left on device");
            });
            for (Tmpfs m : mounts) {
                assertOnlyWholeFiles(m.dir());
                assertThat(Trees.files(m.dir())).hasSize(21).doesNotContainKey("big.bin");
            }
        } finally {
            for (Tmpfs m : mounts) {
                m.close();
            }
        }
    }

    @Test
    void aDamagedDbIsRefusedWithExit4BeforeAnyDestinationChange() throws Exception {
        source(200, 100, 4);
        Path db = tmp.resolve("job.db");
        Path dst = tmp.resolve("dst");
        assertThat(run("--db", db.toString(), src.toString(), dst.toString()).exitCode()).isZero();
        Files.delete(dst.resolve("f007.bin")); // a change the next run would make
        Trees.query(db, "PRAGMA wal_checkpoint(TRUNCATE)");
        try (FileChannel ch = FileChannel.open(db, StandardOpenOption.WRITE)) {
            byte[] garbage = new byte[4096];
            new Random(5).nextBytes(garbage);
            ch.write(ByteBuffer.wrap(garbage), ch.size() / 2 / 4096 * 4096);
        }
        Map<String, Version> before = Trees.files(dst);
        DuplexProcess.Result r = run("--db", db.toString(), src.toString(), dst.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
        assertThat(r.err()).contains("duplex: the state db " + db + " is damaged").contains("move the db aside");
        assertThat(Trees.files(dst)).isEqualTo(before);

        Files.move(db, tmp.resolve("damaged.db"));
        DuplexProcess.Result fresh = run("--db", db.toString(), src.toString(), dst.toString());
        assertThat(fresh.exitCode()).as(fresh.toString()).isZero();
        assertThat(fresh.out()).contains("copied 1 files").contains("199 up to date");
    }

    @Test
    void aFileThatIsNotADbIsRefusedWithExit4() throws Exception {
        source(2, 100, 6);
        Path db = tmp.resolve("job.db");
        Files.writeString(db, "SQLite format 3\0 but not really; a file someone overwrote by mistake ".repeat(80));
        DuplexProcess.Result r = run("--db", db.toString(), src.toString(), tmp.resolve("dst").toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
        assertThat(r.err()).startsWith("duplex: ").contains(db.toString()).contains("damaged");
        assertThat(tmp.resolve("dst")).doesNotExist();
    }

    @Test
    void anUnreadableDbExitsWith4AndChangesNoDestination() throws Exception {
        source(20, 100, 7);
        Path db = tmp.resolve("job.db");
        Path dst = tmp.resolve("dst");
        assertThat(run("--db", db.toString(), src.toString(), dst.toString()).exitCode()).isZero();
        Files.delete(dst.resolve("f003.bin"));
        openUpFor(tmp);
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("---------"));
        DuplexProcess.Result r = DuplexProcess.finish(asUnprivilegedUser("--db", db.toString(), src.toString(),
                dst.toString()).start(), TIMEOUT);
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
        assertThat(r.err()).startsWith("duplex: cannot use the state db " + db).contains("check permissions");
        assertThat(dst.resolve("f003.bin")).doesNotExist();
    }

    @Test
    void aDbOnADiskThatWentReadOnlyExitsWith4AndChangesNoDestination() throws Exception {
        source(20, 100, 8);
        Path dst = tmp.resolve("dst");
        try (Tmpfs state = Tmpfs.mount(tmp.resolve("state"), "8m")) {
            Path db = state.dir().resolve("job.db");
            assertThat(run("--db", db.toString(), src.toString(), dst.toString()).exitCode()).isZero();
            Files.delete(dst.resolve("f003.bin"));
            state.readOnly();
            DuplexProcess.Result r = run("--db", db.toString(), src.toString(), dst.toString());
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
            assertThat(r.err()).startsWith("duplex: ").contains(state.dir().toString()).contains("Read-only");
            assertThat(dst.resolve("f003.bin")).doesNotExist();

            DuplexProcess.Result fresh = run("--db", state.dir().resolve("new.db").toString(), src.toString(),
                    tmp.resolve("dst2").toString());
            assertThat(fresh.exitCode()).as(fresh.toString()).isEqualTo(4);
            assertThat(tmp.resolve("dst2")).doesNotExist();
        }
    }

    @Test
    void aFullDiskUnderTheDbDuringTheScanExitsWith4AndCopiesNothing() throws Exception {
        source(3000, 10, 9);
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        try (Tmpfs state = Tmpfs.mount(tmp.resolve("state"), "256k")) {
            Path db = state.dir().resolve("job.db");
            DuplexProcess.Result r = run("--db", db.toString(), src.toString(), dst.toString());
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
            assertThat(r.err()).startsWith("duplex: ").contains(db.toString())
                    .contains("the disk holding the db is full");
            assertThat(Trees.files(dst)).isEmpty();
            assertThat(Trees.temps(dst)).isEmpty();
        }
    }

    /**
     * The disk under the db (and the audit log beside it) fills up in the middle of the transfer: the run stops
     * with exit 4; what is in the destination is whole; after space is freed the next run completes.
     */
    @Test
    void aDiskUnderTheDbThatFillsUpMidTransferStopsTheRunAndTheNextCompletes() throws Exception {
        source(40, 200 * 1024, 10);
        Path dst = tmp.resolve("dst");
        try (Tmpfs state = Tmpfs.mount(tmp.resolve("state"), "16m")) {
            Path db = state.dir().resolve("job.db");
            Path filler;
            DuplexProcess.Result r;
            try (RunningDuplex run = RunningDuplex.start(List.of("--db", db.toString(), "--bwlimit", "2M",
                    "--transfers", "1", "--progress-interval", "1h", src.toString(), dst.toString()))) {
                run.line("scan done").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                filler = state.fill();
                r = run.finish(TIMEOUT);
            }
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
            assertThat(r.err()).startsWith("duplex: ")
                    .containsAnyOf("the disk holding the db is full", "cannot write the audit log");
            assertOnlyWholeFiles(dst);
            Files.delete(filler);
            Trees.assertDbIntact(db);
            DuplexProcess.Result again = run("--db", db.toString(), src.toString(), dst.toString());
            assertThat(again.exitCode()).as(again.toString()).isZero();
            assertThat(Trees.files(dst)).isEqualTo(Trees.files(src));
            Trees.auditLines(state.dir().resolve("job.audit.jsonl"), false);
        }
    }

    /** The audit log on a disk that is full: the run stops; the db records no file the log does not. */
    @Test
    void aFullAuditLogDiskStopsTheRunAndTheDbNeverGetsAheadOfTheLog() throws Exception {
        source(300, 100, 11);
        Path db = tmp.resolve("job.db");
        Path dst = tmp.resolve("dst");
        try (Tmpfs logs = Tmpfs.mount(tmp.resolve("logs"), "16k")) {
            Path log = logs.dir().resolve("audit.jsonl");
            DuplexProcess.Result r = run("--db", db.toString(), "--log", log.toString(), src.toString(),
                    dst.toString());
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
            assertThat(r.err()).contains("cannot write the audit log " + log).contains("No space left on device");
            Set<String> logged = Files.readAllLines(log).stream().filter(l -> l.contains("\"event\":\"synced\""))
                    .map(l -> Trees.field(l, "source")).collect(Collectors.toSet());
            List<String> synced = Trees.query(db, "SELECT source_path FROM files WHERE status='synced'").stream()
                    .map(row -> row.get(0)).toList();
            assertThat(logged).containsAll(synced);
            assertOnlyWholeFiles(dst);
            logs.resize("1m");
            DuplexProcess.Result again = run("--db", db.toString(), "--log", log.toString(), src.toString(),
                    dst.toString());
            assertThat(again.exitCode()).as(again.toString()).isZero();
            assertThat(Trees.files(dst)).isEqualTo(Trees.files(src));
            Trees.auditLines(log, false);
        }
    }

    /**
     * The same cron line fired twice (the first run still busy): the second exits 3 at once, with no --db given,
     * so the lock comes from the job's default db in the state directory; the first run is unaffected.
     */
    @Test
    void aSecondRunOfTheSameCommandWhileTheFirstRunsExitsWith3() throws Exception {
        // the first run is held by a limit it cannot finish under (8 MiB at 16 KiB/s: over 8 minutes) until the test
        // stops it, however slowly a busy machine starts the second
        source(4, 2 << 20, 12);
        Path dst = tmp.resolve("dst");
        Path state = Files.createDirectories(tmp.resolve("state"));
        List<String> held = List.of("--bwlimit", "16K", "--progress-interval", "1h", src.toString(), dst.toString());
        ProcessBuilder first = DuplexProcess.jar(held.toArray(String[]::new));
        first.environment().put("XDG_STATE_HOME", state.toString());
        try (RunningDuplex running = RunningDuplex.start(first)) {
            running.line("scan done").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            ProcessBuilder second = DuplexProcess.jar(src.toString(), dst.toString());
            second.environment().put("XDG_STATE_HOME", state.toString());
            DuplexProcess.Result r = DuplexProcess.finish(second.start(), TIMEOUT);
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
            assertThat(r.err()).contains("another duplex run is using the job db " + state.resolve("duplex"));
            running.terminate();
            DuplexProcess.Result firstResult = running.finish(TIMEOUT);
            assertThat(firstResult.exitCode()).as(firstResult.toString()).isEqualTo(143);
        }
        ProcessBuilder again = DuplexProcess.jar(src.toString(), dst.toString());
        again.environment().put("XDG_STATE_HOME", state.toString());
        DuplexProcess.Result done = DuplexProcess.finish(again.start(), TIMEOUT);
        assertThat(done.exitCode()).as(done.toString()).isZero();
        assertThat(Trees.files(dst)).isEqualTo(Trees.files(src));
    }


    /** The jar run as nobody when we are root (root ignores permissions), as ourselves otherwise. */
    private static ProcessBuilder asUnprivilegedUser(String... args) {
        ProcessBuilder pb = DuplexProcess.jar(args);
        if (Tmpfs.isRoot()) {
            assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv to drop root for this test");
            List<String> command = new ArrayList<>(List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534",
                    "--clear-groups"));
            command.addAll(pb.command());
            pb.command(command);
            pb.environment().put("HOME", "/tmp");
        }
        return pb;
    }

    /** Lets another user reach and write the test's directories (the temp dir is private to its owner). */
    private static void openUpFor(Path dir) throws Exception {
        for (Path p = dir; p != null && !p.equals(Path.of("/tmp")) && p.getParent() != null; p = p.getParent()) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxrwxrwx"));
        }
        try (var s = Files.walk(dir)) {
            for (Path p : s.toList()) {
                if (Files.isDirectory(p)) {
                    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxrwxrwx"));
                } else {
                    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-rw-rw-"));
                }
            }
        }
    }
}
