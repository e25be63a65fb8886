package dev.duplex.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.testing.Duplex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code duplex bisync} with a daemon's module as one side (in this JVM, as RemoteSyncTest does). */
class RemoteBisyncTest {
    static final Instant T1 = Instant.parse("2026-11-01T09:00:00Z");
    static final Instant T2 = Instant.parse("2026-11-02T09:00:00Z");
    static final Instant T3 = Instant.parse("2026-11-03T09:00:00Z");

    @TempDir
    Path tmp;
    Path module;
    Path local;
    Path remoteSide;
    Path tokenFile;
    TestDaemon daemon;

    @BeforeEach
    void setUp() throws Exception {
        module = Files.createDirectories(tmp.resolve("module"));
        remoteSide = Files.createDirectories(module.resolve("side"));
        local = Files.createDirectories(tmp.resolve("local"));
        tokenFile = Files.writeString(tmp.resolve("token"), TestDaemon.TOKEN + "\n");
        daemon = TestDaemon.builder().module("data", module).start();
    }

    @AfterEach
    void tearDown() {
        daemon.close();
    }

    Duplex.Result bisync(String... extra) {
        String[] all = Stream.concat(Stream.of("bisync", "--token-file", tokenFile.toString(), "--db",
                        tmp.resolve("job.db").toString()),
                Stream.concat(Stream.of(extra), Stream.of(local.toString(),
                        "duplex://127.0.0.1:" + daemon.port() + "/data/side"))).toArray(String[]::new);
        return Duplex.run(tmp.resolve("state"), all);
    }

    static void write(Path root, String rel, String content, Instant mtime) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        Files.setLastModifiedTime(p, FileTime.from(mtime));
    }

    static Map<String, String> content(Path root) {
        return dev.duplex.testing.Tree.snapshotWithoutTrash(root);
    }

    static long trashed(Path root) throws IOException {
        Path t = root.resolve(".sync_trash");
        if (!Files.exists(t)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(t)) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void changesOnEitherSideCrossTheDaemonAndNothingIsLost() throws Exception {
        write(local, "a.txt", "alpha", T1);
        write(local, "docs/b.txt", "bravo", T1);
        write(remoteSide, "c.txt", "charlie", T1);
        write(remoteSide, "docs/d.txt", "delta", T1);
        write(local, "e.txt", "echo", T1);
        Duplex.Result first = bisync();
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(content(local)).isEqualTo(content(remoteSide));

        write(local, "a.txt", "alpha 2", T2);                // edit here
        write(remoteSide, "c.txt", "charlie 2", T2);         // edit there
        Files.delete(local.resolve("docs/b.txt"));           // delete here: to the trash there
        Files.createDirectories(local.resolve("moved"));
        Files.move(local.resolve("e.txt"), local.resolve("moved/e.txt"));   // rename here
        write(local, "docs/d.txt", "delta left", T2);        // a conflict
        write(remoteSide, "docs/d.txt", "delta right, newer", T3);
        Duplex.Result second = bisync();
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(content(local)).isEqualTo(content(remoteSide));
        assertThat(Files.readString(remoteSide.resolve("a.txt"))).isEqualTo("alpha 2");
        assertThat(Files.readString(local.resolve("c.txt"))).isEqualTo("charlie 2");
        assertThat(remoteSide.resolve("docs/b.txt")).doesNotExist();
        assertThat(remoteSide.resolve("moved/e.txt")).exists();
        assertThat(remoteSide.resolve("e.txt")).doesNotExist();
        assertThat(Files.readString(local.resolve("docs/d.txt"))).isEqualTo("delta right, newer");
        assertThat(content(local)).containsKey("docs/d_clash_" + java.time.format.DateTimeFormatter
                .ofPattern("yyyyMMddHHmm").format(T2.atZone(java.time.ZoneId.systemDefault())) + ".txt");
        assertThat(trashed(remoteSide)).as("the deleted file and the replaced version").isEqualTo(2);
        assertThat(second.out()).contains("renamed 1");

        Files.move(remoteSide.resolve("c.txt"), remoteSide.resolve("c-renamed.txt"));   // rename there
        Duplex.Result third = bisync();
        assertThat(third.exitCode()).as(third.toString()).isZero();
        assertThat(content(local)).isEqualTo(content(remoteSide));
        assertThat(local.resolve("c-renamed.txt")).exists();
        Duplex.Result quiet = bisync();
        assertThat(quiet.out()).contains("copied 0 left->right").contains("0 right->left").contains("renamed 0");
    }
}
