package dev.duplex.packaged;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code duplex serve} and {@code duplex://} / {@code duplexs://} endpoints, as a user runs them: a daemon on
 * 127.0.0.1 (port 0; the port and the certificate fingerprint read from what it prints) and clients that push, pull
 * and replicate through it, over plain TCP and TLS; the refusals (trust, token, module, read-only, connection limit);
 * and a daemon killed or stopped in the middle of a push, then the run that completes the job. Every daemon and
 * client a test starts is stopped by the test, by PID, also when the test fails. Pushes that must be caught in the
 * middle are held by a {@code --bwlimit} they cannot finish under in the test's time; the moment comes from the
 * module itself (a temp file appearing, seen through inotify), never from a sleep.
 */
class ServeIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Instant T0 = Instant.parse("2025-06-01T10:00:00.123456789Z");
    private static final String TOKEN = "serveit-token-7f3a9c";
    /**
     * 12 MiB at this rate takes over 3 minutes: a held push is always stopped by the test first, however slow the
     * machine; its first temp file still appears within about a second of data.
     */
    private static final String HOLD = "64K";
    /** A dead daemon fails the held files after one quick retry instead of the default backoff (1+2+4 s a file). */
    private static final List<String> QUICK_GIVE_UP = List.of("--retries", "1", "--retry-wait", "100ms");

    @TempDir
    Path tmp;

    private Path tokenFile;

    @BeforeAll
    static void jarIsBuilt() {
        assertThat(DuplexProcess.JAR).as("run 'mvn -B verify' from the root: it packages app first").exists();
    }

    @BeforeEach
    void token() throws IOException {
        tokenFile = Files.writeString(tmp.resolve("token"), TOKEN + "\n");
    }

    // ---------------------------------------------------------------- 1. push

    @Test
    void aPushCopiesTheWholeTreeThenNothingAndMirrorsADeleteWithDeleteExtras() throws Exception {
        Path src = richTree(tmp.resolve("src"));
        Path module = Files.createDirectories(tmp.resolve("module"));
        Path copy = module.resolve("tree");
        String db = tmp.resolve("push.db").toString();
        try (DaemonProcess daemon = serve(0, "--module", "data=" + module)) {
            String dest = daemon.url("data/tree");
            DuplexProcess.Result first = run(withToken("--db", db, src.toString(), dest));
            assertExit(first, 0, daemon);
            assertThat(first.out()).contains("copied " + Trees.files(src).size() + " files");
            assertSameTree(src, copy);

            DuplexProcess.Result second = run(withToken("--db", db, src.toString(), dest));
            assertExit(second, 0, daemon);
            assertThat(second.out()).contains("copied 0 files (0 B)")
                    .contains("skipped " + Trees.files(src).size() + " up to date");
            assertSameTree(src, copy);

            Files.delete(src.resolve("many/d3/f3.txt"));
            DuplexProcess.Result mirror = run(withToken("--db", db, "--delete-extras", src.toString(), dest));
            assertExit(mirror, 0, daemon);
            assertThat(mirror.out()).contains("copied 0 files").contains("deleted 1 extras");
            assertThat(copy.resolve("many/d3/f3.txt")).doesNotExist();
            assertSameTree(src, copy);
            stop(daemon);
        }
        assertNoTemps(module);
    }

    // ---------------------------------------------------------------- 2. pull

    @Test
    void aPullFromAPathInsideAModuleCopiesThatSubtreeOnly() throws Exception {
        Path module = Files.createDirectories(tmp.resolve("module"));
        Path served = richTree(module.resolve("sub"));
        Trees.write(module.resolve("outside.txt"), "not under sub".getBytes(), T0);
        Path local = tmp.resolve("pulled");
        try (DaemonProcess daemon = serve(0, "--module", "data=" + module)) {
            DuplexProcess.Result pull = run(withToken("--db", tmp.resolve("pull.db").toString(),
                    daemon.url("data/sub"), local.toString()));
            assertExit(pull, 0, daemon);
            assertSameTree(served, local);
            assertThat(local.resolve("outside.txt")).doesNotExist();
            assertThat(local.resolve("sub")).doesNotExist();
            stop(daemon);
        }
        assertNoTemps(module);
    }

    // ---------------------------------------------------------------- 3. dual

    @Test
    void aDualRunFillsALocalDestAndAnEndpointDest2WithTheTokenFromTheEnvironment() throws Exception {
        Path src = richTree(tmp.resolve("src"));
        Path local = tmp.resolve("local");
        Path module = Files.createDirectories(tmp.resolve("module"));
        try (DaemonProcess daemon = serve(0, "--module", "data=" + module)) {
            List<String> args = List.of("--db", tmp.resolve("dual.db").toString(), src.toString(), local.toString(),
                    daemon.url("data/copy"));
            DuplexProcess.Result dual = runWithEnvToken(args);
            assertExit(dual, 0, daemon);
            assertSameTree(src, local);
            assertSameTree(src, module.resolve("copy"));

            DuplexProcess.Result again = runWithEnvToken(args);
            assertExit(again, 0, daemon);
            assertThat(again.out()).contains("copied 0 files (0 B)");
            stop(daemon);
        }
        assertNoTemps(module);
    }

    // ---------------------------------------------------------------- 4. TLS

    @Test
    void tlsIsTrustedByThePrintedPinOrByTheCertificateFileAndRefusedWithoutTrust() throws Exception {
        Path src = smallTree(tmp.resolve("src"));
        Path module = Files.createDirectories(tmp.resolve("module"));
        Path tls = tmp.resolve("tls");
        try (DaemonProcess daemon = serve(0, "--module", "data=" + module, "--tls-self-signed", tls.toString())) {
            Path cert = tls.resolve("duplex-cert.pem");
            assertThat(daemon.fingerprint()).as("the fingerprint printed is the certificate's in " + cert)
                    .isEqualTo(sha256OfCertificate(cert));

            DuplexProcess.Result pinned = run(withToken("--db", tmp.resolve("pin.db").toString(),
                    "--tls-pin", daemon.fingerprint(), src.toString(), daemon.tlsUrl("127.0.0.1", "data/pinned")));
            assertExit(pinned, 0, daemon);
            assertSameTree(src, module.resolve("pinned"));

            for (String host : List.of("127.0.0.1", "localhost")) {
                DuplexProcess.Result byCa = run(withToken("--db", tmp.resolve("ca-" + host + ".db").toString(),
                        "--tls-ca", cert.toString(), src.toString(), daemon.tlsUrl(host, "data/ca-" + host)));
                assertExit(byCa, 0, daemon);
                assertSameTree(src, module.resolve("ca-" + host));
            }

            String wrongPin = (daemon.fingerprint().charAt(0) == '0' ? "1" : "0") + daemon.fingerprint().substring(1);
            DuplexProcess.Result wrong = run(withToken("--db", tmp.resolve("wrong.db").toString(),
                    "--tls-pin", wrongPin, src.toString(), daemon.tlsUrl("127.0.0.1", "data/wrong-pin")));
            assertExit(wrong, 4, daemon);
            assertThat(wrong.err()).contains(daemon.server()).contains("not trusted");

            DuplexProcess.Result untrusted = run(withToken("--db", tmp.resolve("none.db").toString(),
                    src.toString(), daemon.tlsUrl("127.0.0.1", "data/untrusted")));
            assertExit(untrusted, 4, daemon);
            assertThat(untrusted.err()).contains(daemon.server()).contains("--tls-ca").contains("--tls-pin");

            assertThat(entries(module)).as("only the trusted pushes wrote to the module")
                    .containsExactlyInAnyOrder("pinned", "ca-127.0.0.1", "ca-localhost");
            stop(daemon);
        }
        assertNoTemps(module);
    }

    // ---------------------------------------------------------------- 5. refusals

    @Test
    void refusedClientsExitWith4NamingTheServerAndTheReasonAndChangeNothing() throws Exception {
        Path src = smallTree(tmp.resolve("src"));
        Path module = Files.createDirectories(tmp.resolve("module"));
        Path readOnly = smallTree(tmp.resolve("ro-module"));
        Map<String, Trees.Version> readOnlyBefore = Trees.files(readOnly);
        Path wrongToken = Files.writeString(tmp.resolve("wrong-token"), "not-" + TOKEN + "\n");
        Path pulled = tmp.resolve("pulled");
        try (DaemonProcess daemon = serve(0, "--module", "data=" + module, "--module", "ro=" + readOnly,
                "--read-only", "ro")) {
            record Refusal(String what, List<String> args, String reason) {}
            List<Refusal> refusals = List.of(
                    new Refusal("a push with a wrong token", List.of("--token-file", wrongToken.toString(),
                            src.toString(), daemon.url("data/x")), "wrong token"),
                    new Refusal("a push without a token", List.of(src.toString(), daemon.url("data/x")),
                            "--token-file"),
                    new Refusal("a pull with a wrong token", List.of("--token-file", wrongToken.toString(),
                            daemon.url("ro"), pulled.toString()), "wrong token"),
                    new Refusal("a push to an unknown module", withToken(src.toString(), daemon.url("nosuch/x")),
                            "no module named 'nosuch'"),
                    new Refusal("a push to a read-only module", withToken(src.toString(), daemon.url("ro/x")),
                            "read-only"));
            for (Refusal refusal : refusals) {
                DuplexProcess.Result r = run(refusal.args());
                assertThat(r.exitCode()).as(refusal.what() + "\n" + r + daemon.transcript()).isEqualTo(4);
                assertThat(r.err()).as(refusal.what()).contains(daemon.server()).contains(refusal.reason());
                assertThat(entries(module)).as("the module after " + refusal.what()).isEmpty();
                assertThat(Trees.files(readOnly)).as("the read-only module after " + refusal.what())
                        .isEqualTo(readOnlyBefore);
                assertThat(entries(readOnly)).as("the read-only module after " + refusal.what())
                        .doesNotContain("x");
                assertThat(pulled).as("the local side after " + refusal.what()).doesNotExist();
            }

            DuplexProcess.Result pull = run(withToken(daemon.url("ro"), pulled.toString()));
            assertExit(pull, 0, daemon);
            assertSameTree(readOnly, pulled);
            stop(daemon);
        }
    }

    @Test
    void serveWithoutATokenIsAUsageErrorUnlessNoAuthOnLoopback() throws Exception {
        Path module = Files.createDirectories(tmp.resolve("module"));
        DuplexProcess.Result noAuth = DuplexProcess.run(TIMEOUT, "serve", "--listen", "127.0.0.1:0",
                "--module", "data=" + module);
        assertThat(noAuth.exitCode()).as(noAuth.toString()).isEqualTo(2);
        assertThat(noAuth.err()).contains("--token-file").contains("--no-auth");
        assertThat(noAuth.out()).doesNotContain("listening");

        DuplexProcess.Result everyInterface = DuplexProcess.run(TIMEOUT, "serve", "--listen", "0.0.0.0:0",
                "--module", "data=" + module, "--no-auth");
        assertThat(everyInterface.exitCode()).as(everyInterface.toString()).isEqualTo(2);
        assertThat(everyInterface.err()).contains("--no-auth").contains("loopback").contains("0.0.0.0");
        assertThat(everyInterface.out()).doesNotContain("listening");

        Path src = smallTree(tmp.resolve("src"));
        try (DaemonProcess open = DaemonProcess.start(0, TIMEOUT, List.of("--module", "data=" + module,
                "--no-auth"))) {
            DuplexProcess.Result push = run(List.of(src.toString(), open.url("data/open")));
            assertExit(push, 0, open);
            assertSameTree(src, module.resolve("open"));
            stop(open);
        }
    }

    // ---------------------------------------------------------------- 6. SIGKILL of the daemon

    @Test
    void aDaemonKilledMidPushLeavesThePushPendingAndTheRunAfterItsRestartCompletes() throws Exception {
        Path src = bigFiles(tmp.resolve("src"), 3, 4 << 20);
        Path module = Files.createDirectories(tmp.resolve("module"));
        Path db = tmp.resolve("job.db");
        int port;
        String dest;
        try (DaemonProcess daemon = serve(0, "--module", "data=" + module)) {
            port = daemon.port();
            dest = daemon.url("data");
            List<String> held = withToken(concat(QUICK_GIVE_UP, "--db", db.toString(), "--bwlimit", HOLD,
                    src.toString(), dest));
            try (RunningDuplex client = RunningDuplex.start(client(held))) {
                Path temp = awaitEntry(module, Trees::isTemp, client, TIMEOUT);
                daemon.kill();
                DuplexProcess.Result killed = daemon.finish(TIMEOUT);
                assertThat(killed.exitCode()).as("SIGKILL").isEqualTo(137);

                DuplexProcess.Result r = client.finish(TIMEOUT);
                assertThat(r.exitCode()).as("the push after the daemon died (its temp was " + temp + ")\n" + r)
                        .isEqualTo(1);
                assertThat(r.err()).contains(daemon.server());
                assertThat(r.out()).contains("still pending");
            }
        }
        assertThat(Trees.query(db, "SELECT count(*) FROM files WHERE status <> 'synced'").get(0).get(0))
                .as("files left pending").isNotEqualTo("0");
        Trees.files(module).forEach((rel, v) -> assertThat(v).as(rel).isEqualTo(Trees.version(src.resolve(rel))));

        // the same port: the same endpoint URL, so the same job (its db) goes on; a new port would be another job
        try (DaemonProcess restarted = serve(port, "--module", "data=" + module)) {
            DuplexProcess.Result resumed = run(withToken("--db", db.toString(), src.toString(), dest));
            assertExit(resumed, 0, restarted);
            assertSameTree(src, module);
            assertThat(Trees.query(db, "SELECT count(*) FROM files WHERE status <> 'synced'").get(0).get(0))
                    .isEqualTo("0");
            stop(restarted);
        }
    }

    // ---------------------------------------------------------------- 7. SIGTERM of the daemon

    @Test
    void aDaemonStoppedMidPushExits0LeavingNoTempAndTheClientFailsNamingIt() throws Exception {
        Path src = bigFiles(tmp.resolve("src"), 3, 4 << 20);
        Path module = Files.createDirectories(tmp.resolve("module"));
        try (DaemonProcess daemon = serve(0, "--module", "data=" + module)) {
            List<String> held = withToken(concat(QUICK_GIVE_UP, "--bwlimit", HOLD, src.toString(),
                    daemon.url("data")));
            try (RunningDuplex client = RunningDuplex.start(client(held))) {
                awaitEntry(module, Trees::isTemp, client, TIMEOUT);
                daemon.terminate();
                DuplexProcess.Result stopped = daemon.finish(TIMEOUT);
                assertThat(stopped.exitCode()).as(stopped.toString()).isZero();
                assertThat(stopped.out()).contains("duplex serve: stopping").contains("duplex serve: stopped");
                assertNoTemps(module);

                DuplexProcess.Result r = client.finish(TIMEOUT);
                assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
                assertThat(r.err()).contains(daemon.server());
                assertThat(r.out()).contains("still pending");
            }
        }
        assertNoTemps(module);
        Trees.files(module).forEach((rel, v) -> assertThat(v).as(rel).isEqualTo(Trees.version(src.resolve(rel))));

        // a new daemon on a new port: a new endpoint URL, so a new job (default db in XDG_STATE_HOME)
        try (DaemonProcess again = serve(0, "--module", "data=" + module)) {
            DuplexProcess.Result done = run(withToken(src.toString(), again.url("data")));
            assertExit(done, 0, again);
            assertSameTree(src, module);
            stop(again);
        }
    }

    // ---------------------------------------------------------------- 8. --max-connections

    /** What the contract says: {@code --max-connections N} is N clients at once. */
    /**
     * --max-connections counts clients (all the connections of one sync: its lanes, names, walks): with 1, a sync
     * runs with its default lanes, and a second client is refused with a clear message until the first is gone.
     */
    @Test
    void withMaxConnections1ASecondClientIsRefusedWhileTheFirstIsConnected() throws Exception {
        assertASecondClientIsRefused(1, List.of());
    }

    private void assertASecondClientIsRefused(int max, List<String> firstOptions) throws Exception {
        Path src = bigFiles(tmp.resolve("src"), 3, 4 << 20);
        Path second = smallTree(tmp.resolve("second-src"));
        Path module = Files.createDirectories(tmp.resolve("module"));
        try (DaemonProcess daemon = serve(0, "-v", "--module", "data=" + module,
                "--max-connections", Integer.toString(max))) {
            List<String> first = withToken(concat(firstOptions, "--db", tmp.resolve("first.db").toString(),
                    src.toString(), daemon.url("data/first")));
            List<String> held = concat(List.of("--bwlimit", HOLD), first.toArray(String[]::new));
            List<String> secondPush = withToken(concat(firstOptions, "--db", tmp.resolve("second.db").toString(),
                    second.toString(), daemon.url("data/second")));
            try (RunningDuplex client = RunningDuplex.start(client(held))) {
                awaitEntry(module, Trees::isTemp, client, TIMEOUT);
                DuplexProcess.Result refused = run(secondPush);
                assertExit(refused, 4, daemon);
                assertThat(refused.err()).contains(daemon.server())
                        .contains("at most " + max + " clients").doesNotContain("unexpected failure");
                assertThat(module.resolve("second")).doesNotExist();
                assertThat(client.process().isAlive()).as("the first client is unaffected").isTrue();

                client.terminate();
                DuplexProcess.Result stopped = client.finish(TIMEOUT);
                assertThat(stopped.exitCode()).as(stopped.toString()).isEqualTo(143);
            }
            daemon.awaitLog(ServeIT::everySessionEnded, "the end of every session of the first client", TIMEOUT);

            DuplexProcess.Result secondAgain = run(secondPush);
            assertExit(secondAgain, 0, daemon);
            assertSameTree(second, module.resolve("second"));
            DuplexProcess.Result firstAgain = run(first);
            assertExit(firstAgain, 0, daemon);
            assertSameTree(src, module.resolve("first"));
            stop(daemon);
        }
    }

    private static final Pattern SESSION_START =
            Pattern.compile(".* (/127\\.0\\.0\\.1:\\d+): (writing to|reading from) module .*");
    private static final Pattern SESSION_END = Pattern.compile(".* (/127\\.0\\.0\\.1:\\d+): (closed the connection"
            + "|connection lost|silent for too long|broke the protocol|stopped|session failed).*");

    /** Every connection the daemon accepted has ended (needs {@code serve -v} for "closed the connection"). */
    private static boolean everySessionEnded(List<String> log) {
        Set<String> open = new HashSet<>();
        for (String line : log) {
            Matcher start = SESSION_START.matcher(line);
            Matcher end = SESSION_END.matcher(line);
            if (start.matches()) {
                open.add(start.group(1));
            } else if (end.matches()) {
                open.remove(end.group(1));
            }
        }
        return open.isEmpty();
    }

    // ---------------------------------------------------------------- processes

    /** A daemon with the test's token and ARGS, on 127.0.0.1:PORT (0: any free port). */
    private DaemonProcess serve(int port, String... args) throws Exception {
        return DaemonProcess.start(port, TIMEOUT, concat(List.of("--token-file", tokenFile.toString()), args));
    }

    private static void stop(DaemonProcess daemon) throws Exception {
        daemon.terminate();
        DuplexProcess.Result r = daemon.finish(TIMEOUT);
        assertThat(r.exitCode()).as("the daemon after SIGTERM\n" + r).isZero();
        assertThat(r.out()).contains("duplex serve: stopping").contains("duplex serve: stopped");
    }

    /** A client process: no token from our own environment, its default state in the test's directory. */
    private ProcessBuilder client(List<String> args) {
        ProcessBuilder pb = DuplexProcess.jar(args.toArray(String[]::new));
        pb.environment().remove("DUPLEX_TOKEN");
        pb.environment().put("XDG_STATE_HOME", tmp.resolve("state").toString());
        return pb;
    }

    private DuplexProcess.Result run(List<String> args) throws Exception {
        return DuplexProcess.finish(client(args).start(), TIMEOUT);
    }

    private DuplexProcess.Result runWithEnvToken(List<String> args) throws Exception {
        ProcessBuilder pb = client(args);
        pb.environment().put("DUPLEX_TOKEN", TOKEN);
        return DuplexProcess.finish(pb.start(), TIMEOUT);
    }

    private List<String> withToken(String... args) {
        return concat(List.of("--token-file", tokenFile.toString()), args);
    }

    private List<String> withToken(List<String> args) {
        return withToken(args.toArray(String[]::new));
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }

    private static void assertExit(DuplexProcess.Result r, int code, DaemonProcess daemon) {
        assertThat(r.exitCode()).as(r + daemon.transcript()).isEqualTo(code);
    }

    /**
     * Waits (inotify, via {@link WatchService}) until an entry that {@code match} accepts is under {@code root};
     * fails (with what the client printed) when {@code client} ends first or the deadline passes.
     */
    private static Path awaitEntry(Path root, Predicate<Path> match, RunningDuplex running, Duration deadline)
            throws IOException, InterruptedException {
        Process client = running.process();
        try (WatchService watch = FileSystems.getDefault().newWatchService()) {
            Runnable close = () -> {
                try {
                    watch.close();
                } catch (IOException ignored) {
                    // closing ends the wait either way
                }
            };
            registerTree(root, watch);
            client.onExit().thenRun(close);
            CompletableFuture.delayedExecutor(deadline.toMillis(), TimeUnit.MILLISECONDS).execute(close);
            Optional<Path> found = find(root, match); // made before the watch began
            try {
                while (found.isEmpty()) {
                    WatchKey key = watch.take();
                    for (WatchEvent<?> e : key.pollEvents()) {
                        if (e.kind() == StandardWatchEventKinds.OVERFLOW) {
                            found = find(root, match);
                            continue;
                        }
                        Path entry = ((Path) key.watchable()).resolve((Path) e.context());
                        if (match.test(entry)) {
                            found = Optional.of(entry);
                        } else if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                            registerTree(entry, watch);
                            found = found.or(() -> find(entry, match));
                        }
                    }
                    key.reset();
                }
                return found.get();
            } catch (ClosedWatchServiceException ended) {
                Optional<Path> late = find(root, match);
                if (late.isPresent()) {
                    return late.get();
                }
                if (client.isAlive()) {
                    throw new AssertionError("nothing matching appeared under " + root + " within " + deadline);
                }
                throw new AssertionError("the client ended before anything matching appeared under " + root + "\n"
                        + running.finish(TIMEOUT));
            }
        }
    }

    private static void registerTree(Path dir, WatchService watch) throws IOException {
        try (Stream<Path> dirs = Files.walk(dir)) {
            for (Path d : dirs.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                d.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            }
        } catch (java.nio.file.NoSuchFileException gone) {
            // removed again before we looked
        }
    }

    private static Optional<Path> find(Path root, Predicate<Path> match) {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(match).findFirst();
        } catch (IOException | java.io.UncheckedIOException e) {
            return Optional.empty(); // an entry vanished mid-walk: the next event looks again
        }
    }

    // ---------------------------------------------------------------- trees

    /**
     * Nested directories, an empty one (inside another empty one), symlinks (one dangling), 300 small files (a few
     * empty), three files of several MiB, and names with spaces, unicode and leading dashes; mtimes with nanoseconds.
     */
    private static Path richTree(Path root) throws IOException {
        Random r = new Random(20261201L);
        for (int i = 0; i < 300; i++) {
            String dir = "many/d" + (i % 12) + (i % 5 == 0 ? "/deeper/still" : "");
            Trees.write(root.resolve(dir + "/f" + i + ".txt"), bytes(r, i % 37 == 0 ? 0 : r.nextInt(4096)),
                    T0.plusSeconds(i).plusNanos(i * 1001L));
        }
        Trees.write(root.resolve("big/one.bin"), bytes(r, 3 << 20), T0.plusSeconds(1000));
        Trees.write(root.resolve("big/two three.bin"), bytes(r, (5 << 20) + 17), T0.plusSeconds(1001));
        Trees.write(root.resolve("big/ünï cødé 日本.bin"), bytes(r, (4 << 20) - 3), T0.plusSeconds(1002));
        Trees.write(root.resolve("-leading dash.txt"), bytes(r, 100), T0.minusSeconds(86_400 * 400));
        Trees.write(root.resolve("--two-dashes"), bytes(r, 10), T0);
        Trees.write(root.resolve("spaces in name/a  b c .txt"), bytes(r, 2000), T0.plusNanos(1));
        Trees.write(root.resolve("ünïcødé/naïve café 日本語.txt"), bytes(r, 3000), T0.plusMillis(5));
        Trees.write(root.resolve("emoji 🎉 #1 (copy).txt"), bytes(r, 50), T0.plusSeconds(7));
        Files.createDirectories(root.resolve("empty/also empty"));
        Files.createDirectories(root.resolve("links"));
        Files.createSymbolicLink(root.resolve("links/to a file"), Path.of("../spaces in name/a  b c .txt"));
        Files.createSymbolicLink(root.resolve("links/dangling"), Path.of("../nowhere/at all"));
        return root;
    }

    /** A few small files, one of 1 MiB, a symlink: enough to see a whole tree cross, fast even over TLS. */
    private static Path smallTree(Path root) throws IOException {
        Random r = new Random(root.getFileName().toString().hashCode());
        for (int i = 0; i < 20; i++) {
            Trees.write(root.resolve("d" + (i % 3) + "/s " + i + ".txt"), bytes(r, r.nextInt(2048)),
                    T0.plusSeconds(i));
        }
        Trees.write(root.resolve("-one MiB ü.bin"), bytes(r, 1 << 20), T0);
        Files.createSymbolicLink(root.resolve("link"), Path.of("d0/s 0.txt"));
        return root;
    }

    private static Path bigFiles(Path root, int count, int size) {
        Random r = new Random(size + count);
        for (int i = 0; i < count; i++) {
            Trees.write(root.resolve("big" + i + ".bin"), bytes(r, size), T0.plusSeconds(i));
        }
        return root;
    }

    private static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    /** Same files (content, size, mtime), same directories (empty ones too), same symlinks; no temp file. */
    private static void assertSameTree(Path expected, Path actual) {
        assertThat(Trees.files(actual)).as("files (content, size, mtime) of " + actual)
                .isEqualTo(Trees.files(expected));
        assertThat(Trees.dirs(actual)).as("directories of " + actual).isEqualTo(Trees.dirs(expected));
        assertThat(links(actual)).as("symlinks of " + actual).isEqualTo(links(expected));
        assertNoTemps(actual);
    }

    /** Symlink targets by relative path. */
    private static Map<String, String> links(Path root) {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isSymbolicLink).toList()) {
                out.put(root.relativize(p).toString(), Files.readSymbolicLink(p).toString());
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }

    /** No temp file by the contract's name, nor anything else named like one. */
    private static void assertNoTemps(Path root) {
        Trees.assertNoTemps(root);
        try (Stream<Path> s = Files.walk(root)) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.contains("duplex-tmp")).toList())
                    .as("temp files left in " + root).isEmpty();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> entries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    private static String sha256OfCertificate(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            byte[] der = CertificateFactory.getInstance("X.509").generateCertificate(in).getEncoded();
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
        }
    }
}
