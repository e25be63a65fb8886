package dev.duplex.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.testing.Audit;
import dev.duplex.testing.Db;
import dev.duplex.testing.Duplex;
import dev.duplex.testing.Tree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sync's promises with an endpoint as SOURCE, DEST or DEST2, through the command line in this JVM against a
 * daemon in this JVM: push, pull, two destinations, skip on a second run, mirror cleanup, hashes in the db and the
 * audit log, check, and a drop in the middle of a run that the run survives.
 */
class RemoteSyncTest {
    @TempDir
    Path tmp;

    private Path module;
    private Path state;
    private Path tokenFile;
    private TestDaemon daemon;

    @BeforeEach
    void setUp() throws Exception {
        module = Files.createDirectories(tmp.resolve("module"));
        state = Files.createDirectories(tmp.resolve("state"));
        tokenFile = Files.writeString(tmp.resolve("token"), TestDaemon.TOKEN + "\n");
        daemon = TestDaemon.builder().module("data", module).start();
    }

    @AfterEach
    void tearDown() {
        daemon.close();
    }

    private Path source() {
        Tree t = Tree.at(tmp.resolve("src"))
                .file("a.txt", "alpha")
                .file("dir/b.txt", "beta")
                .file("dir/deeper/c with space.txt", "gamma")
                .file("unicodé/ü.txt", "umlaut")
                .randomFile("big/one.bin", 3 * 1024 * 1024, 7)
                .randomFile("big/two.bin", 700 * 1024, 8)
                .dir("empty/dir")
                .link("dir/link", "../a.txt");
        for (int i = 0; i < 150; i++) {
            t.randomFile("many/f" + i, 100 + i * 37, i);
        }
        return t.root();
    }

    private String url(String path) {
        return "duplex://127.0.0.1:" + daemon.port() + "/data/" + path;
    }

    private Duplex.Result duplex(String... args) {
        String[] all = Stream.concat(Stream.of("--token-file", tokenFile.toString()), Stream.of(args))
                .toArray(String[]::new);
        return Duplex.run(state, all);
    }

    @Test
    void aPushCopiesTheTreeRecordsHashesAndSkipsEverythingTheSecondTime() throws Exception {
        Path src = source();
        Path db = tmp.resolve("push.db");
        Duplex.Result first = duplex("--db", db.toString(), src.toString(), url("tree"));
        assertThat(first.exitCode()).as(first.toString()).isZero();
        Tree.assertSameTree(src, module.resolve("tree"));
        assertThat(Files.readSymbolicLink(module.resolve("tree/dir/link")).toString()).isEqualTo("../a.txt");
        for (String dir : List.of("dir", "dir/deeper", "empty/dir", "many")) { // directories' times, applied last
            assertThat(Files.getLastModifiedTime(module.resolve("tree/" + dir)))
                    .as(dir).isEqualTo(Files.getLastModifiedTime(src.resolve(dir)));
        }
        List<Map<String, Object>> rows = Db.rows(db, "select dest_path, hash from files where source_path = '"
                + src.resolve("a.txt") + "'");
        assertThat(rows).singleElement().satisfies(r -> {
            assertThat(r.get("dest_path")).isEqualTo(url("tree") + "/a.txt");
            assertThat(r.get("hash")).isEqualTo("8ed3f6ad685b959ead7022518e1af76cd816f8e8ec7ccdda1ed4018e8f2223f8");
        });
        assertThat(Audit.lines(tmp.resolve("push.audit.jsonl"))).anySatisfy(l ->
                assertThat(l.get("dest")).isEqualTo(url("tree") + "/a.txt"));
        Duplex.Result second = duplex("--db", db.toString(), src.toString(), url("tree"));
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.out()).contains("copied 0 files");
        Duplex.Result check = Duplex.run(state, "check", "--token-file", tokenFile.toString(), "--db", db.toString());
        assertThat(check.exitCode()).as(check.toString()).isZero();
    }

    @Test
    void aPullCopiesAModulePathToALocalDirectory() throws Exception {
        Path src = source();
        assertThat(duplex(src.toString(), url("tree")).exitCode()).isZero();
        Path pulled = tmp.resolve("pulled");
        Duplex.Result pull = duplex(url("tree/dir"), pulled.toString());
        assertThat(pull.exitCode()).as(pull.toString()).isZero();
        Tree.assertSameTree(src.resolve("dir"), pulled);
    }

    @Test
    void twoDestinationsOneOfThemRemoteGetTheSameTree() {
        Path src = source();
        Path local = tmp.resolve("local-copy");
        Duplex.Result r = duplex(src.toString(), local.toString(), url("second"));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Tree.assertSameTree(src, local);
        Tree.assertSameTree(src, module.resolve("second"));
    }

    @Test
    void mirrorCleanupDeletesOnTheDaemonWithALiveRecheck() throws Exception {
        Path src = source();
        assertThat(duplex(src.toString(), url("tree")).exitCode()).isZero();
        Files.delete(src.resolve("dir/b.txt"));
        Files.writeString(module.resolve("tree/extra.txt"), "only on the server");
        Duplex.Result r = duplex("--delete-extras", src.toString(), url("tree"));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Tree.assertSameTree(src, module.resolve("tree"));
    }

    @Test
    void aRunWhoseConnectionsDropInTheMiddleStillCompletes() throws Exception {
        Path src = source();
        try (CuttingProxy proxy = new CuttingProxy(daemon.port())) {
            proxy.cutUpstreamAt(2_000_000);
            String url = "duplex://127.0.0.1:" + proxy.port() + "/data/tree";
            Duplex.Result r = duplex("--retry-wait", "50ms", src.toString(), url);
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(proxy.hasCut()).isTrue();
        }
        Tree.assertSameTree(src, module.resolve("tree"));
        try (Stream<Path> s = Files.walk(module)) {
            assertThat(s.filter(p -> p.getFileName().toString().contains(".duplex-tmp"))).isEmpty();
        }
    }

    @Test
    void verifySidecarsMarkersAndADryRunWorkOnTheDaemonToo() throws Exception {
        Path src = Tree.at(tmp.resolve("src")).file("a.txt", "alpha").randomFile("big.bin", 2 * 1024 * 1024, 3)
                .root();
        Duplex.Result dry = duplex("--dry-run", src.toString(), url("tree"));
        assertThat(dry.exitCode()).as(dry.toString()).isZero();
        assertThat(module.resolve("tree")).doesNotExist();
        Duplex.Result r = duplex("--verify", "--fsync", "--sidecar", "--ready-suffix", ".ready", "--success-marker",
                "_SUCCESS", src.toString(), url("tree"));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(Files.readString(module.resolve("tree/a.txt.sha256")))
                .isEqualTo("8ed3f6ad685b959ead7022518e1af76cd816f8e8ec7ccdda1ed4018e8f2223f8  a.txt\n");
        assertThat(Files.readString(module.resolve("tree/big.bin.ready"))).contains("\"algo\":\"sha256\"");
        assertThat(module.resolve("tree/_SUCCESS")).exists();
        Duplex.Result status = Duplex.run(state, "status", src.toString(), url("tree"));
        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(status.out()).contains(url("tree").replace("duplex://", ""));
    }

    @Test
    void aDaemonGoneForGoodInTheMiddleEndsTheRunNamingItAndTheFilesStayPending() throws Exception {
        Path src = source();
        Path db = tmp.resolve("gone.db");
        try (CuttingProxy proxy = new CuttingProxy(daemon.port())) {
            proxy.cutUpstreamAt(1_000_000);
            proxy.goneAfterCut();
            String url = "duplex://127.0.0.1:" + proxy.port() + "/data/tree";
            Duplex.Result r = duplex("--retries", "1", "--retry-wait", "10ms", "--db", db.toString(), src.toString(),
                    url);
            assertThat(proxy.hasCut()).isTrue();
            assertThat(r.exitCode()).as(r.toString()).isIn(1, 4);
            assertThat(r.err()).as(r.toString()).contains("127.0.0.1:" + proxy.port())
                    .doesNotContain("unexpected failure");
        }
        assertThat(Db.rows(db, "select count(*) as n from files where status <> 'synced'").get(0).get("n"))
                .isNotEqualTo(0);
        Duplex.Result again = duplex("--db", tmp.resolve("again.db").toString(), src.toString(), url("tree"));
        assertThat(again.exitCode()).as(again.toString()).isZero();
        Tree.assertSameTree(src, module.resolve("tree"));
    }

    @Test
    void refusalsAreFatalAndNameTheServer() {
        Path src = source();
        Duplex.Result noToken = Duplex.run(state, src.toString(), url("tree"));
        assertThat(noToken.exitCode()).isEqualTo(4);
        assertThat(noToken.err()).contains("127.0.0.1:" + daemon.port()).contains("token");
        Duplex.Result tls = duplex(src.toString(), "duplexs://127.0.0.1:" + daemon.port() + "/data/tree");
        assertThat(tls.exitCode()).isEqualTo(4);
        assertThat(tls.err()).contains("--tls-ca").contains("--tls-pin");
        assertThat(module.resolve("tree")).doesNotExist();
    }
}
