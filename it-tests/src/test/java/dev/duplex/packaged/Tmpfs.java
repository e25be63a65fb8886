package dev.duplex.packaged;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A small tmpfs mounted for one test (needs root): a disk that fills up, or goes read-only, on demand. */
final class Tmpfs implements AutoCloseable {
    private final Path dir;

    private Tmpfs(Path dir) {
        this.dir = dir;
    }

    /** Mounts a tmpfs of {@code size} (as mount(8) takes it: 1m, 256k) on {@code dir}; skips the test without root. */
    static Tmpfs mount(Path dir, String size) throws Exception {
        Files.createDirectories(dir);
        assumeTrue(isRoot(), "needs root to mount a tmpfs (a disk that fills up)");
        int rc = run("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=1777", "tmpfs", dir.toString());
        assumeTrue(rc == 0, "cannot mount a tmpfs here (a container without CAP_SYS_ADMIN?)");
        return new Tmpfs(dir);
    }

    Path dir() {
        return dir;
    }

    void resize(String size) throws Exception {
        assertThat(run("mount", "-o", "remount,size=" + size, dir.toString())).isZero();
    }

    void readOnly() throws Exception {
        assertThat(run("mount", "-o", "remount,ro", dir.toString())).isZero();
    }

    /** Fills what is left of the disk with one file; returns it (delete it to free the space). */
    Path fill() throws IOException {
        Path filler = dir.resolve("filler");
        byte[] chunk = new byte[64 * 1024];
        try (var out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(chunk);
            }
        } catch (IOException full) {
            // No space left on device: full, as intended
        }
        try (var out = Files.newOutputStream(filler, java.nio.file.StandardOpenOption.APPEND)) {
            for (int i = 0; i < 64 * 1024; i++) {
                out.write(0);
                out.flush();
            }
        } catch (IOException full) {
            // the last bytes of the last page are taken too
        }
        return filler;
    }

    @Override
    public void close() throws IOException {
        try {
            run("umount", "-l", dir.toString());
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot unmount " + dir, e);
        }
    }

    static boolean isRoot() {
        try {
            Process p = new ProcessBuilder("id", "-u").start();
            String uid = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor(10, TimeUnit.SECONDS) && uid.equals("0");
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        return p.exitValue();
    }
}
