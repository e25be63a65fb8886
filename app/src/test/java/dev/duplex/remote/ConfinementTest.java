package dev.duplex.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.duplex.digest.HashAlgorithm;
import dev.duplex.tree.Entry;
import dev.duplex.tree.EntryKind;
import dev.duplex.tree.FileMetadata;
import dev.duplex.tree.RelPath;
import dev.duplex.tree.TempFile;
import dev.duplex.tree.Tree;
import dev.duplex.tree.WalkResult;
import dev.duplex.tree.WalkRules;
import dev.duplex.tree.WalkSink;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing outside a module is ever read or written, whatever a client asks: paths through symlinks inside the
 * module that point out (to a directory or a file), an endpoint path that is such a symlink, and the names the
 * protocol never lets through ({@code ..}, absolute paths, NUL, empty components) are refused.
 */
class ConfinementTest {
    private static final Instant OLD = Instant.parse("2001-02-03T04:05:06Z");

    @TempDir
    Path tmp;

    private Path module;
    private Path outside;
    private TestDaemon daemon;
    private RemoteTree tree;

    @BeforeEach
    void setUp() throws Exception {
        module = Files.createDirectories(tmp.resolve("module"));
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "top secret");
        Files.setLastModifiedTime(outside.resolve("secret"), FileTime.from(OLD));
        Files.writeString(module.resolve("ok.txt"), "fine");
        Files.createSymbolicLink(module.resolve("escape"), outside);                       // a directory out
        Files.createSymbolicLink(module.resolve("esc-file"), outside.resolve("secret"));   // a file out
        Files.createSymbolicLink(module.resolve("relative-escape"), Path.of("../outside"));
        daemon = TestDaemon.builder().module("data", module).start();
        tree = daemon.connect("data", true);
    }

    @AfterEach
    void tearDown() {
        tree.close();
        daemon.close();
    }

    private List<String> outsideNow() throws IOException {
        try (Stream<Path> s = Files.walk(outside)) {
            return s.map(p -> outside.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void readsThroughASymlinkThatPointsOutAreRefused() throws Exception {
        assertThatThrownBy(() -> tree.openRead(RelPath.of("esc-file"), Tree.Detail.FULL).close())
                .isInstanceOf(IOException.class);
        for (String p : List.of("escape/secret", "relative-escape/secret")) {
            assertThatThrownBy(() -> tree.openRead(RelPath.of(p), Tree.Detail.FULL).close())
                    .as(p).isInstanceOf(IOException.class).hasMessageNotContaining("top secret");
            assertThatThrownBy(() -> tree.hash(RelPath.of(p), HashAlgorithm.SHA256)).as(p)
                    .isInstanceOf(IOException.class);
            Optional<Entry> seen;
            try {
                seen = tree.stat(RelPath.of(p), Tree.Detail.FULL);
            } catch (IOException refused) {
                seen = Optional.empty();
            }
            assertThat(seen).as(p).isEmpty();
        }
        // the link itself is an entry of the module, never what it points to
        assertThat(tree.stat(RelPath.of("esc-file"), Tree.Detail.FULL)).get()
                .extracting(Entry::kind).isEqualTo(EntryKind.SYMLINK);
    }

    @Test
    void writesThroughASymlinkThatPointsOutAreRefusedAndChangeNothingOutside() throws Exception {
        List<String> before = outsideNow();
        TempFile temp = tree.createTemp(RelPath.of("escape/new-file"));
        byte[] content = "x".repeat(300_000).getBytes(StandardCharsets.UTF_8); // over the small-file size
        assertThatThrownBy(() -> {
            temp.write(ByteBuffer.wrap(content));
            temp.finish(new TempFile.Finish(meta(content.length), false, false,
                    HashAlgorithm.SHA256, Optional.empty())).join();
            tree.commit(RelPath.of("escape/new-file")).join();
        }).isInstanceOfAny(IOException.class, CompletionException.class);
        TempFile small = tree.createTemp(RelPath.of("escape/small"));
        small.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        assertThatThrownBy(() -> small.finish(new TempFile.Finish(meta(3), false, false,
                HashAlgorithm.SHA256, Optional.empty())).join()).isInstanceOf(CompletionException.class);
        assertThatThrownBy(() -> tree.writeSmallFile(RelPath.of("escape/marker"), new byte[1]))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> tree.makeDirectories(RelPath.of("escape/sub/dir")))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> tree.createLinkTemp(RelPath.of("escape/link"), "x", OLD))
                .isInstanceOf(IOException.class);
        try {
            tree.delete(RelPath.of("escape/secret"));
        } catch (IOException refused) {
            // refused is right; so is "nothing to delete"
        }
        try {
            tree.setTimes(RelPath.of("esc-file"), Instant.now(), Instant.now());
        } catch (IOException refused) {
            // refused, or applied to the link itself
        }
        assertThat(outsideNow()).isEqualTo(before);
        assertThat(Files.readString(outside.resolve("secret"))).isEqualTo("top secret");
        assertThat(Files.getLastModifiedTime(outside.resolve("secret")).toInstant()).isEqualTo(OLD);
    }

    @Test
    void aWalkListsSymlinksAndNeverEntersThem() throws Exception {
        List<Entry> seen = new ArrayList<>();
        WalkResult r = tree.walk(WalkRules.ALL, Tree.Detail.FULL, sink(seen));
        assertThat(seen).extracting(e -> e.path().toString())
                .containsExactlyInAnyOrder("esc-file", "escape", "ok.txt", "relative-escape");
        assertThat(r.unreadable()).isZero();
    }

    @Test
    void anEndpointPathThatIsASymlinkOutLeadsNowhere() throws Exception {
        try (RemoteTree through = daemon.connect("data/escape", true)) {
            List<Entry> seen = new ArrayList<>();
            try {
                through.walk(WalkRules.ALL, Tree.Detail.FULL, sink(seen));
            } catch (IOException refused) {
                // refused is right too
            }
            assertThat(seen).isEmpty();
            assertThatThrownBy(() -> through.openRead(RelPath.of("secret"), Tree.Detail.FULL).close())
                    .isInstanceOf(IOException.class);
            assertThatThrownBy(() -> through.writeSmallFile(RelPath.of("planted"), new byte[] {1}))
                    .isInstanceOf(IOException.class);
        }
        assertThat(outsideNow()).containsExactly("", "secret");
    }

    @Test
    void errorsDoNotTellWhereTheModuleLivesOnTheServer() {
        assertThatThrownBy(() -> tree.writeSmallFile(RelPath.of("escape/marker"), new byte[1]))
                .isInstanceOf(IOException.class)
                .hasMessageNotContaining(module.toString())
                .hasMessageNotContaining(tmp.toString());
    }

    @Test
    void namesTheProtocolRefusesCloseTheConnectionAndTheDaemonServesOthers() throws Exception {
        for (String bad : List.of("../outside/secret", "/etc/passwd", "a/../../outside", "a\0b", "a//b", ".",
                "..", "ok.txt/")) {
            try (RawClient raw = RawClient.connect(daemon, "data", true)) {
                raw.send(dev.duplex.remote.protocol.FrameType.STAT, 1, RawClient.pathBody(bad, 0));
                assertThat(raw.closedWithoutAnswer()).as("'%s'", bad.replace("\0", "\\0")).isTrue();
            }
        }
        assertThat(tree.stat(RelPath.of("ok.txt"), Tree.Detail.BASIC)).isPresent();
    }

    @Test
    void aDirectoryReplacedByASymlinkAfterItWasCheckedIsNotGoneThrough() throws Exception {
        // found by review: the guard remembered directories it had found real, and a LINK_TEMP replaces an empty
        // directory at a temp name by a symlink without it noticing
        RelPath tempOfX = dev.duplex.tree.TempName.forFinal(RelPath.of("x"));
        tree.makeDirectories(tempOfX);
        assertThat(tree.stat(tempOfX.resolve("nothing"), Tree.Detail.BASIC)).isEmpty(); // the directory checked
        tree.createLinkTemp(RelPath.of("x"), outside.toString(), OLD); // and replaced by a link out
        assertThat(tree.stat(tempOfX, Tree.Detail.BASIC)).get().extracting(Entry::kind)
                .isEqualTo(EntryKind.SYMLINK);
        List<String> before = outsideNow();
        assertThatThrownBy(() -> tree.openRead(tempOfX.resolve("secret"), Tree.Detail.FULL).close())
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> tree.writeSmallFile(tempOfX.resolve("pwned"), new byte[] {1}))
                .isInstanceOf(IOException.class);
        TempFile small = tree.createTemp(tempOfX.resolve("pwned2"));
        small.write(ByteBuffer.wrap(new byte[] {1, 2}));
        assertThatThrownBy(() -> {
            small.finish(new TempFile.Finish(meta(2), false, false, HashAlgorithm.SHA256, Optional.empty())).join();
            tree.commit(tempOfX.resolve("pwned2")).join();
        }).isInstanceOf(CompletionException.class);
        assertThat(outsideNow()).isEqualTo(before);
    }

    @Test
    void aTempFileSwappedForASymlinkByAnotherClientIsNeitherHashedNorStampedThrough() throws Exception {
        // found by review: finishing re-read and re-timed the temp file by its path, following a symlink another
        // client's LINK_TEMP of the same name had put there: an oracle of any file's hash, and its mtime changed
        byte[] secret = Files.readAllBytes(outside.resolve("secret"));
        String secretHash = java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(secret));
        for (boolean reread : List.of(true, false)) {
            try (RawClient a = RawClient.connect(daemon, "data", true)) {
                a.send(dev.duplex.remote.protocol.FrameType.TEMP_OPEN, 1, new dev.duplex.remote.protocol.WireOut()
                        .path(RelPath.of("y")).string("sha256").i64(reread ? 1 : 2).toBytes());
                byte[] data = new byte[2 * 1024 * 1024];
                a.send(dev.duplex.remote.protocol.FrameType.TEMP_DATA, 1,
                        dev.duplex.remote.protocol.WireOut.dataBody(ByteBuffer.wrap(data)));
                assertThat(a.read().type()).isEqualTo(dev.duplex.remote.protocol.FrameType.TEMP_ACK); // written
                tree.createLinkTemp(RelPath.of("y"), outside.resolve("secret").toString(), OLD); // swapped
                dev.duplex.remote.protocol.WireOut finish = new dev.duplex.remote.protocol.WireOut();
                dev.duplex.remote.protocol.Fields.finish(finish, new TempFile.Finish(meta(data.length), false,
                        reread, HashAlgorithm.SHA256, Optional.of(java.util.HexFormat.of().formatHex(
                        java.security.MessageDigest.getInstance("SHA-256").digest(data)))));
                a.send(dev.duplex.remote.protocol.FrameType.TEMP_FINISH, 1, finish.toBytes());
                dev.duplex.remote.protocol.Frame answer = a.read();
                assertThat(new String(answer.body(), StandardCharsets.UTF_8)).doesNotContain(secretHash);
            }
        }
        assertThat(Files.getLastModifiedTime(outside.resolve("secret")).toInstant()).isEqualTo(OLD);
    }

    static FileMetadata meta(long size) {
        return new FileMetadata(size, OLD, OLD, Optional.empty(), Optional.empty(), "0644");
    }

    static WalkSink sink(List<Entry> into) {
        return new WalkSink() {
            @Override
            public void entries(List<Entry> batch) {
                into.addAll(batch);
            }

            @Override
            public void warning(String message) {
                // counted in the result
            }
        };
    }
}
