package dev.duplex.packaged;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code duplex serve} started by a test on 127.0.0.1: the port and certificate fingerprint it printed, its log
 * (standard error) line by line, and its end. It is stopped by PID: SIGKILL, SIGTERM, or {@link #close()} (SIGKILL
 * if it still runs), so a failing test leaves no daemon behind.
 */
final class DaemonProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("duplex serve: listening on 127\\.0\\.0\\.1:(\\d+) .*");
    private static final Pattern FINGERPRINT = Pattern.compile("duplex serve: TLS certificate SHA-256 ([0-9a-f]{64})");

    private final Process process;
    private final List<String> out = new ArrayList<>(); // guarded by this
    private final List<String> err = new ArrayList<>(); // guarded by this
    private int endedStreams; // guarded by this; 2 when nothing more can be printed
    private final Thread outReader;
    private final Thread errReader;
    private int port;
    private String fingerprint;

    private DaemonProcess(Process process) {
        this.process = process;
        this.outReader = reader(process.getInputStream(), out);
        this.errReader = reader(process.getErrorStream(), err);
    }

    /**
     * Starts {@code duplex serve --listen 127.0.0.1:PORT ARGS} (port 0: the system picks one) and waits until it
     * says it listens (and, with TLS, prints its fingerprint).
     */
    static DaemonProcess start(int port, Duration deadline, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of("serve", "--listen", "127.0.0.1:" + port));
        command.addAll(args);
        DaemonProcess d = new DaemonProcess(DuplexProcess.jar(command.toArray(String[]::new)).start());
        try {
            String listening = d.awaitOut(l -> LISTENING.matcher(l).matches(), "a 'listening on' line", deadline);
            Matcher m = LISTENING.matcher(listening);
            assertThat(m.matches()).isTrue();
            d.port = Integer.parseInt(m.group(1));
            if (port != 0) {
                assertThat(d.port).as("the port asked for").isEqualTo(port);
            }
            if (listening.contains("(TLS)")) {
                Matcher f = FINGERPRINT.matcher(d.awaitOut(l -> FINGERPRINT.matcher(l).matches(),
                        "the TLS certificate fingerprint", deadline));
                assertThat(f.matches()).isTrue();
                d.fingerprint = f.group(1);
            }
            return d;
        } catch (Throwable e) {
            d.close();
            throw e;
        }
    }

    long pid() {
        return process.pid();
    }

    int port() {
        return port;
    }

    /** {@code 127.0.0.1:PORT}, as the client names the server in its messages. */
    String server() {
        return "127.0.0.1:" + port;
    }

    /** {@code duplex://127.0.0.1:PORT/PATH} (PATH: module, then a path inside it). */
    String url(String path) {
        return "duplex://" + server() + "/" + path;
    }

    /** {@code duplexs://HOST:PORT/PATH}. */
    String tlsUrl(String host, String path) {
        return "duplexs://" + host + ":" + port + "/" + path;
    }

    /** The SHA-256 fingerprint it printed at start (TLS only). */
    String fingerprint() {
        assertThat(fingerprint).as("the daemon serves TLS and printed its fingerprint").isNotNull();
        return fingerprint;
    }

    synchronized List<String> logLines() {
        return List.copyOf(err);
    }

    /** SIGKILL, by PID: no chance to clean up. */
    void kill() {
        process.destroyForcibly();
    }

    /** SIGTERM, by PID: the daemon's clean stop. Not Process.destroy(), which also closes our end of its output. */
    void terminate() {
        process.toHandle().destroy();
    }

    /** Waits for a line on standard output; fails when the daemon ends first or the deadline passes. */
    String awaitOut(Predicate<String> line, String what, Duration deadline) throws InterruptedException {
        return await(() -> out.stream().filter(line).findFirst(), what, deadline);
    }

    /** Waits until its log (standard error) as a whole satisfies {@code condition}. */
    void awaitLog(Predicate<List<String>> condition, String what, Duration deadline) throws InterruptedException {
        await(() -> condition.test(err) ? Optional.of("") : Optional.empty(), what, deadline);
    }

    private synchronized String await(java.util.function.Supplier<Optional<String>> found, String what,
                                      Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        while (true) {
            Optional<String> f = found.get();
            if (f.isPresent()) {
                return f.get();
            }
            long left = end - System.nanoTime();
            if (left <= 0 || endedStreams == 2) {
                throw new AssertionError("the daemon " + (endedStreams == 2 ? "ended without printing " + what
                        : "did not print " + what + " within " + deadline) + "\n" + transcript());
            }
            TimeUnit.NANOSECONDS.timedWait(this, left); // woken by every line and by the end of its output
        }
    }

    /** Waits for the end; the result carries everything it printed. */
    DuplexProcess.Result finish(Duration timeout) throws InterruptedException {
        boolean done = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!done) {
            process.destroyForcibly().waitFor();
        }
        outReader.join();
        errReader.join();
        if (!done) {
            throw new AssertionError("the daemon did not stop within " + timeout + "\n" + transcript());
        }
        synchronized (this) {
            return new DuplexProcess.Result(process.exitValue(), String.join("\n", out) + "\n",
                    String.join("\n", err) + "\n");
        }
    }

    synchronized String transcript() {
        return "--- daemon stdout\n" + String.join("\n", out) + "\n--- daemon stderr\n" + String.join("\n", err);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                process.destroyForcibly().waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Thread reader(InputStream in, List<String> into) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (this) {
                        into.add(line);
                        notifyAll();
                    }
                }
            } catch (IOException ignored) {
                // the daemon went away
            } finally {
                synchronized (this) {
                    endedStreams++;
                    notifyAll();
                }
            }
        }, "duplex-serve-output");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
