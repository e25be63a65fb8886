package dev.duplex.packaged;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A duplex process the test watches while it runs: its output line by line, and what appears in its destinations
 * (through inotify, via {@link WatchService}), so that it can be killed at a chosen moment without polling.
 */
final class RunningDuplex implements AutoCloseable {
    private final Process process;
    private final List<String> out = new ArrayList<>();
    private final StringBuilder err = new StringBuilder();
    private final Map<String, CompletableFuture<Void>> awaitedLines = new ConcurrentHashMap<>();
    private final Thread outReader;
    private final Thread errReader;

    private RunningDuplex(Process process) {
        this.process = process;
        this.outReader = reader(process.getInputStream(), line -> {
            synchronized (out) {
                out.add(line);
            }
            awaitedLines.forEach((prefix, f) -> {
                if (line.startsWith(prefix)) {
                    f.complete(null);
                }
            });
        });
        this.errReader = reader(process.getErrorStream(), line -> {
            synchronized (err) {
                err.append(line).append('\n');
            }
        });
    }

    static RunningDuplex start(List<String> args) throws IOException {
        return start(DuplexProcess.jar(args.toArray(String[]::new)));
    }

    static RunningDuplex start(ProcessBuilder jar) throws IOException {
        return new RunningDuplex(jar.start());
    }

    Process process() {
        return process;
    }

    /** Completes when the process prints a line starting with {@code prefix} (registered before it is printed). */
    CompletableFuture<Void> line(String prefix) {
        CompletableFuture<Void> f = awaitedLines.computeIfAbsent(prefix, p -> new CompletableFuture<>());
        synchronized (out) { // a line added after this check finds f registered
            if (out.stream().anyMatch(l -> l.startsWith(prefix))) {
                f.complete(null);
            }
        }
        return f;
    }

    List<String> outLines() {
        synchronized (out) {
            return List.copyOf(out);
        }
    }

    /**
     * Counts entries appearing under the directories (created, or renamed into place) that match {@code counted},
     * and kills the process with SIGKILL at the {@code k}-th. Returns the count reached: less than {@code k} when the
     * process ended first. Only directories that exist now are watched.
     */
    int killAtEntry(List<Path> roots, Predicate<Path> counted, int k) throws IOException {
        return stopAtEntry(roots, counted, k, this::kill);
    }

    /** Like {@link #killAtEntry}, counting entries that disappear (deleted, or renamed away). */
    int killAtRemoval(List<Path> roots, Predicate<Path> counted, int k) throws IOException {
        return watch(roots, StandardWatchEventKinds.ENTRY_DELETE, counted, k, this::kill);
    }

    /** Like {@link #killAtEntry}, stopping the process with {@code stop} (SIGKILL, or SIGTERM for a clean stop). */
    int stopAtEntry(List<Path> roots, Predicate<Path> counted, int k, Runnable stop) throws IOException {
        return watch(roots, StandardWatchEventKinds.ENTRY_CREATE, counted, k, stop);
    }

    private int watch(List<Path> roots, WatchEvent.Kind<Path> kind, Predicate<Path> counted, int k, Runnable stop)
            throws IOException {
        try (WatchService watch = FileSystems.getDefault().newWatchService()) {
            for (Path root : roots) {
                try (Stream<Path> dirs = Files.walk(root)) {
                    for (Path d : dirs.filter(Files::isDirectory).toList()) {
                        d.register(watch, kind);
                    }
                }
            }
            process.onExit().thenRun(() -> closeQuietly(watch));
            int seen = 0;
            while (true) {
                WatchKey key;
                try {
                    key = watch.take();
                } catch (ClosedWatchServiceException ended) {
                    return seen;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return seen;
                }
                for (WatchEvent<?> e : key.pollEvents()) {
                    if (e.kind() == StandardWatchEventKinds.OVERFLOW) {
                        stop.run(); // lost count: this moment is as good as any other
                        return seen;
                    }
                    Path entry = ((Path) key.watchable()).resolve((Path) e.context());
                    if (counted.test(entry) && ++seen >= k) {
                        stop.run();
                        return seen;
                    }
                }
                key.reset();
            }
        }
    }

    void kill() {
        process.destroyForcibly(); // SIGKILL on Linux and macOS
    }

    /** SIGTERM: what systemd, kill(1) and a scheduler's "end task" send. */
    void terminate() {
        process.toHandle().destroy(); // not Process.destroy(), which also closes our end of its output
    }

    /** Waits for the end; the result carries everything printed. */
    DuplexProcess.Result finish(Duration timeout) throws InterruptedException {
        boolean done = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!done) {
            process.destroyForcibly().waitFor();
        }
        outReader.join();
        errReader.join();
        String o = String.join("\n", outLines()) + "\n";
        String e;
        synchronized (err) {
            e = err.toString();
        }
        if (!done) {
            throw new AssertionError("duplex did not finish within " + timeout + "\n" + o + e);
        }
        return new DuplexProcess.Result(process.exitValue(), o, e);
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

    private static Thread reader(InputStream in, java.util.function.Consumer<String> onLine) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    onLine.accept(line);
                }
            } catch (IOException ignored) {
                // the process went away
            }
        }, "duplex-output");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void closeQuietly(WatchService w) {
        try {
            w.close();
        } catch (IOException ignored) {
            // closing ends the wait either way
        }
    }
}
