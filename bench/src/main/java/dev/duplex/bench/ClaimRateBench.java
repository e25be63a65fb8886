package dev.duplex.bench;

import dev.duplex.backlog.BacklogStore;
import dev.duplex.backlog.BacklogStores;
import dev.duplex.backlog.ClaimedRows;
import dev.duplex.backlog.FileRow;
import dev.duplex.backlog.FileStatus;
import dev.duplex.backlog.PathNames;
import dev.duplex.backlog.PgDatabase;
import dev.duplex.backlog.SharedBacklog;
import dev.duplex.tree.FileMetadata;
import dev.duplex.tree.LocalTree;
import dev.duplex.tree.RelPath;
import dev.duplex.tree.Roots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The shared backlog's cost without any file I/O: a scan's upserts of N rows into PostgreSQL, then W workers (threads,
 * each with its own store, as separate hosts would have) claiming the whole backlog in batches and recording each
 * file prepared and synced, as the transfer does. Prints rows/s, files/s and the CPU seconds the PostgreSQL server
 * processes used (from /proc, so the server must run on this machine).
 *
 * <pre>java -cp app/target/duplex.jar:bench/target/classes dev.duplex.bench.ClaimRateBench URL ROWS PER_ROUND
 *     (claim|cycle):WORKERS...</pre>
 * {@code claim}: claims only (each claimed file then marked synced in the claim's transaction batch, no per-file
 * commit); {@code cycle}: what the transfer does per file (the prepared record with its own commit, then synced).
 */
public final class ClaimRateBench {
    private ClaimRateBench() {}

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int rows = Integer.parseInt(args[1]);
        int perRound = Integer.parseInt(args[2]);
        Path root = Files.createTempDirectory("claim-bench");
        Files.createDirectories(root.resolve("src"));
        Files.createDirectories(root.resolve("dst"));
        PathNames names = PathNames.of(new Roots(LocalTree.at(root.resolve("src")),
                List.of(LocalTree.at(root.resolve("dst")))));
        PgDatabase db = PgDatabase.parse(url, System.getenv(), System.getProperty("user.name"));
        Instant t = Instant.parse("2025-01-01T00:00:00Z");
        try (BacklogStore scanner = BacklogStores.openShared(db, names,
                new SharedBacklog.Worker("scanner", 0, Duration.ofMinutes(5)))) {
            double cpu0 = serverCpuSeconds();
            long t0 = System.nanoTime();
            long scan = scanner.beginScan("");
            for (int i = 0; i < rows; i++) {
                FileMetadata m = new FileMetadata(1000 + i % 5000, t, t, Optional.empty(), Optional.empty(),
                        "rw-r--r--");
                scanner.upsertFile(new FileRow(RelPath.of(String.format("d%03d/d%03d/f%07d", i % 1000,
                        (i / 1000) % 1000, i)), List.of(0), m), FileStatus.PENDING, scan);
            }
            scanner.finishScan(scan, true);
            double scanSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("scan: %d rows in %.1f s = %.0f rows/s, server CPU %.1f s%n", rows, scanSeconds,
                    rows / scanSeconds, serverCpuSeconds() - cpu0);
        }
        for (int a = 3; a < args.length; a++) {
            String[] spec = args[a].split(":"); // claim:N (claims only) or cycle:N (claim + prepared + synced)
            boolean cycle = spec[0].equals("cycle");
            int workers = Integer.parseInt(spec[1]);
            double cpu0 = serverCpuSeconds();
            long t0 = System.nanoTime();
            AtomicLong done = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                int id = a * 100 + w;
                Thread th = new Thread(() -> work(db, names, id, done, perRound, cycle));
                threads.add(th);
                th.start();
            }
            for (Thread th : threads) {
                th.join();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpu = serverCpuSeconds() - cpu0;
            System.out.printf("%s with %d workers on a %d-row backlog: %d files in %.1f s = %.0f files/s "
                    + "(%.0f per worker), server CPU %.1f s (%.0f us per file)%n", cycle
                    ? "claim+prepared+synced" : "claim only", workers, rows, done.get(), seconds, done.get() / seconds,
                    done.get() / seconds / workers, cpu, cpu / done.get() * 1e6);
        }
    }

    private static void work(PgDatabase db, PathNames names, int id, AtomicLong done, int limit, boolean cycle) {
        try (BacklogStore store = BacklogStores.openShared(db, names,
                new SharedBacklog.Worker("w" + id, ProcessHandle.current().pid(), Duration.ofMinutes(30)));
             ClaimedRows rows = store.shared().orElseThrow().openClaims(64, 64L << 20, (p, h) -> { })) {
            int sinceCommit = 0;
            while (done.get() < limit && rows.hasNext()) {
                FileRow r = rows.next();
                if (cycle) {
                    store.markPrepared(r.path(), r.metadata(), "sha256", "00"); // commits, as every shared-job file
                }
                store.markSynced(r.path(), r.metadata(), "sha256", "00", Instant.now());
                if (++sinceCommit == 64) {
                    store.commit();
                    sinceCommit = 0;
                }
                rows.settled(r); // as the transfer does when a file is done
                done.incrementAndGet();
            }
            store.commit();
        }
    }

    /** utime + stime (+ children's) of every process named postgres on this machine, in seconds. */
    private static double serverCpuSeconds() throws IOException {
        double ticks = 0;
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) dirs::iterator) {
                if (!p.getFileName().toString().chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    int close = stat.lastIndexOf(')');
                    String comm = stat.substring(stat.indexOf('(') + 1, close);
                    if (!comm.equals("postgres")) {
                        continue;
                    }
                    String[] f = stat.substring(close + 2).split(" ");
                    // own time, and (for the postmaster) that of the backends it has reaped
                    ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13])
                            + Long.parseLong(f[14]);
                } catch (IOException | RuntimeException gone) {
                    // the process ended meanwhile
                }
            }
        }
        return ticks / 100.0;
    }
}
