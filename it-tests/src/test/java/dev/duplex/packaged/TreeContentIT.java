package dev.duplex.packaged;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.RandomAccessFile;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a tree can contain: special files, names of every kind, deep paths, empty files, sparse files and files over
 * 4 GiB, through the packaged jar.
 */
class TreeContentIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final Instant T0 = Instant.parse("2025-01-02T03:04:05.123456789Z");

    @TempDir
    Path tmp;

    private DuplexProcess.Result sync(Path src, Path dst) throws Exception {
        return DuplexProcess.run(TIMEOUT, "--db", tmp.resolve("job.db").toString(), src.toString(), dst.toString());
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void fifosSocketsAndDevicesAreSkippedWithOneWarningEachAndNeverOpened() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Trees.write(src.resolve("regular.txt"), "x".getBytes(StandardCharsets.UTF_8), T0);
        List<String> special = new ArrayList<>();
        assumeTrue(Tmpfs.run("mkfifo", src.resolve("fifo").toString()) == 0, "needs mkfifo");
        special.add("fifo");
        try (ServerSocketChannel socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            socket.bind(UnixDomainSocketAddress.of(src.resolve("socket")));
            special.add("socket");
            if (Tmpfs.isRoot() && Tmpfs.run("mknod", src.resolve("device").toString(), "c", "1", "3") == 0) {
                special.add("device"); // a character device like /dev/null (mknod needs root)
            }
            Path dst = tmp.resolve("dst");
            for (int run = 1; run <= 2; run++) {
                DuplexProcess.Result r = sync(src, dst); // a FIFO opened for reading would block: the timeout says
                assertThat(r.exitCode()).as(r.toString()).isZero();
                for (String name : special) {
                    assertThat(count(r.err(), "warning: skipping special file " + src.resolve(name) + " "))
                            .as("warnings for " + name + " in run " + run + "\n" + r).isEqualTo(1);
                }
                assertThat(Trees.files(dst)).containsOnlyKeys("regular.txt");
                try (var s = Files.list(dst)) {
                    assertThat(s.map(p -> p.getFileName().toString())).containsExactly("regular.txt");
                }
            }
        }
    }

    @Test
    void namesOfEveryKindAreCopiedByteExact() throws Exception {
        String utf8Of255Bytes = "\u00e9".repeat(127) + "x"; // 127 x 2 bytes + 1
        List<String> names = List.of("with space.txt", "  leading and trailing  ", "new\nline.txt", "tab\there",
                "e\u0301 (NFD).txt", "\u00e9 (NFC).txt", "日本語のファイル.txt", "emoji 😀🚀.bin", "-rf", "--help",
                "back\\slash", "quote'\"s", ".dotfile", "name.duplex-tmp", "a".repeat(255), utf8Of255Bytes,
                "dir with space/and\nnewline/\u00e9\u0301/inner.txt");
        assertThat(utf8Of255Bytes.getBytes(StandardCharsets.UTF_8)).hasSize(255);
        Path src = Files.createDirectories(tmp.resolve("src"));
        for (int i = 0; i < names.size(); i++) {
            Trees.write(src.resolve(names.get(i)), ("content " + i).getBytes(StandardCharsets.UTF_8),
                    T0.plusSeconds(i));
        }
        Path dst = tmp.resolve("dst");
        DuplexProcess.Result r = sync(src, dst);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(Trees.files(dst)).isEqualTo(Trees.files(src)).hasSize(names.size());
        Trees.assertNoTemps(dst);
        assertThat(sync(src, dst).out()).contains(names.size() + " up to date");
    }

    @Test
    void aDeepTreeCloseToThePathLimitIsCopied() throws Exception {
        StringBuilder rel = new StringBuilder();
        while (tmp.toString().length() + rel.length() < 3800) {
            rel.append("d".repeat(200)).append('/');
        }
        Path src = tmp.resolve("src");
        Trees.write(src.resolve(rel + "deep.txt"), "deep".getBytes(StandardCharsets.UTF_8), T0);
        Trees.write(src.resolve("top.txt"), "top".getBytes(StandardCharsets.UTF_8), T0);
        Path dst = tmp.resolve("dst");
        DuplexProcess.Result r = sync(src, dst);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(dst.resolve(rel + "deep.txt").toString().length()).isGreaterThan(3800);
        assertThat(Trees.files(dst)).isEqualTo(Trees.files(src));
    }

    /**
     * A path longer than the system allows (4096 bytes on Linux) cannot be opened through Java's file API: the run
     * must say so and exit 1 ("not everything is synced"), not exit 0 with the file missing.
     */
    @Test
    void aPathBeyondTheSystemLimitIsReportedAndTheRunDoesNotClaimSuccess() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Trees.write(src.resolve("top.txt"), "top".getBytes(StandardCharsets.UTF_8), T0);
        String level = "d".repeat(200);
        // relative mkdir/cd, as a user's tools do: an absolute path this long cannot even be created
        String script = "cd \"$1\" && for i in $(seq 1 22); do mkdir " + level + " && cd " + level
                + " || exit 1; done && echo deep > deep.txt";
        assumeTrue(Tmpfs.run("bash", "-c", script, "deep", src.toString()) == 0,
                "this file system does not allow paths over 4096 bytes");
        try {
            Path dst = tmp.resolve("dst");
            DuplexProcess.Result r = sync(src, dst);
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
            assertThat(r.err()).contains("File name too long").contains("cannot be opened by Java's file API");
            assertThat(r.out()).contains("failed 1");
            assertThat(dst.resolve("top.txt")).hasContent("top");
        } finally {
            Tmpfs.run("rm", "-rf", src.resolve(level).toString(), tmp.resolve("dst").resolve(level).toString());
        }
    }

    @Test
    void emptyFilesGetTheSourceMtimeAndAtime() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        for (int i = 0; i < 3; i++) {
            Path f = Trees.write(src.resolve("empty" + i), new byte[0], T0.plusSeconds(i * 1000L));
            Files.getFileAttributeView(f, BasicFileAttributeView.class)
                    .setTimes(null, FileTime.from(T0.minusSeconds(i * 77L + 1)), null);
        }
        Path dst = tmp.resolve("dst");
        DuplexProcess.Result r = sync(src, dst);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        for (int i = 0; i < 3; i++) {
            Path d = dst.resolve("empty" + i);
            assertThat(d).isEmptyFile();
            assertThat(Files.getLastModifiedTime(d).toInstant()).isEqualTo(T0.plusSeconds(i * 1000L));
            assertThat(Files.readAttributes(d, java.nio.file.attribute.BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS).lastAccessTime().toInstant()).isEqualTo(T0.minusSeconds(i * 77L + 1));
        }
    }

    @Test
    void aSparseFileHashesAndCopiesLikeSha256sumSays() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path sparse = src.resolve("sparse.img");
        writeSparse(sparse, 96L << 20, new long[] {0, 5 << 20, (64L << 20) - 3, (96L << 20) - 100});
        Path dst = tmp.resolve("dst");
        DuplexProcess.Result r = sync(src, dst);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertCopiedWithTheRightHash(sparse, dst.resolve("sparse.img"));
    }

    /**
     * Over 4 GiB (sizes and offsets past 32 bits). The source is sparse, so it costs no disk and reads at memory
     * speed; duplex writes every byte (holes are not kept), so the copy goes to a tmpfs when root can mount one (else
     * to disk). About 25 s here, most of it sha256sum reading 4 GiB: skip with -Dduplex.skipHuge=true.
     */
    @Test
    @org.junit.jupiter.api.condition.DisabledIfSystemProperty(named = "duplex.skipHuge", matches = "true")
    void aFileOver4GiBHashesLikeSha256sumAndCopiesWhole() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path huge = src.resolve("huge.img");
        long size = (4L << 30) + 4097;
        writeSparse(huge, size, new long[] {0, (1L << 31) - 10, (4L << 30) - 50, size - 100});
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        boolean inMemory = Tmpfs.isRoot() && Tmpfs.run("mount", "-t", "tmpfs", "-o", "size=4200m", "tmpfs",
                dst.toString()) == 0;
        try {
            assumeTrue(inMemory || dst.toFile().getUsableSpace() > (10L << 30), "needs 10 GiB free for the copy");
            long start = System.nanoTime();
            // a limit scaled to the work: 4 GiB at no less than 16 MiB/s, whatever else the machine is doing
            DuplexProcess.Result r = DuplexProcess.run(TIMEOUT.plusSeconds(size / (16L << 20)), "--db",
                    tmp.resolve("job.db").toString(), src.toString(), dst.toString());
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(r.exitCode()).as(r.toString()).isZero();
            System.out.println("4 GiB + 4097 B sparse file copied in " + millis + " ms");
            assertCopiedWithTheRightHash(huge, dst.resolve("huge.img"));
            assertThat(Trees.query(tmp.resolve("job.db"), "SELECT size FROM files").get(0).get(0))
                    .isEqualTo(Long.toString(size));
        } finally {
            if (inMemory) {
                Tmpfs.run("umount", "-l", dst.toString());
            }
        }
    }

    /** A file of {@code size} with 100 random bytes at each offset and holes elsewhere. */
    private static void writeSparse(Path file, long size, long[] dataAt) throws Exception {
        Random r = new Random(size);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
            for (long at : dataAt) {
                byte[] b = new byte[(int) Math.min(100, size - at)];
                r.nextBytes(b);
                f.seek(at);
                f.write(b);
            }
        }
        Files.setLastModifiedTime(file, FileTime.from(T0));
    }

    /** sha256sum of the source = the db's hash = sha256sum of the copy; same size and mtime. */
    private void assertCopiedWithTheRightHash(Path source, Path copy) throws Exception {
        String expected = sha256sum(source);
        assertThat(Trees.query(tmp.resolve("job.db"), "SELECT hash FROM files WHERE source_path='" + source + "'"))
                .containsExactly(List.of(expected));
        assertThat(fastSha256(copy)).isEqualTo(expected);
        assertThat(Files.size(copy)).isEqualTo(Files.size(source));
        assertThat(Files.getLastModifiedTime(copy)).isEqualTo(Files.getLastModifiedTime(source));
    }

    /** openssl's SHA-256 (hardware-accelerated, three times sha256sum's speed) where present, else sha256sum. */
    private static String fastSha256(Path file) throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/openssl"))) {
            return sha256sum(file);
        }
        Process p = new ProcessBuilder("/usr/bin/openssl", "dgst", "-sha256", "-r", file.toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        Matcher m = Pattern.compile("^([0-9a-f]{64}) ").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return m.group(1);
    }

    private static String sha256sum(Path file) throws Exception {
        Process p = new ProcessBuilder("sha256sum", file.toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assumeTrue(p.exitValue() == 0, "needs sha256sum (coreutils)");
        Matcher m = Pattern.compile("^([0-9a-f]{64}) ").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return m.group(1);
    }
}
