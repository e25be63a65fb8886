package dev.duplex.packaged;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the packaged jar (or the launcher) as a separate process, the way a user or a scheduler does. */
final class DuplexProcess {
    static final Path JAR = Path.of(System.getProperty("duplex.jar", "../app/target/duplex.jar")).toAbsolutePath();
    static final Path ROOT = Path.of(System.getProperty("duplex.root", "..")).toAbsolutePath().normalize();

    /** What a finished run printed and returned. */
    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private DuplexProcess() {}

    static ProcessBuilder jar(String... args) {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("LC_ALL", "C.UTF-8");
        return pb;
    }

    static Result run(Duration timeout, String... args) throws Exception {
        return finish(jar(args).start(), timeout);
    }

    static Result finish(Process p, Duration timeout) throws Exception {
        Path out = Files.createTempFile("duplex-out", ".txt");
        Path err = Files.createTempFile("duplex-err", ".txt");
        try {
            Thread o = drain(p.getInputStream(), out);
            Thread e = drain(p.getErrorStream(), err);
            boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                p.destroyForcibly().waitFor();
            }
            o.join();
            e.join();
            assertThat(done).as("duplex finished within " + timeout).isTrue();
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Reads the process's stdout until a line starts with {@code prefix}; the process is left running. */
    static String awaitLine(Process p, String prefix) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line; (line = r.readLine()) != null; ) {
            seen.append(line).append('\n');
            if (line.startsWith(prefix)) {
                return seen.toString();
            }
        }
        throw new AssertionError("the process ended without printing a line starting with '" + prefix + "':\n" + seen);
    }

    private static Thread drain(java.io.InputStream in, Path to) {
        Thread t = new Thread(() -> {
            try (in) {
                Files.copy(in, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException ignored) {
                // the process went away; what was read is kept
            }
        });
        t.start();
        return t;
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static Map<String, String> bareCronEnvironment(Path home) {
        return Map.of("PATH", "/usr/bin:/bin", "HOME", home.toString());
    }
}
