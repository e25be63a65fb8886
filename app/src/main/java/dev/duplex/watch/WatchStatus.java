package dev.duplex.watch;

import dev.duplex.report.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a running watch reports: to {@code GET /health} and, as a small JSON file next to the job's db
 * ({@code <db>.watch.json}), to {@code duplex status}. Written by the watch's thread, read by the HTTP server's.
 */
final class WatchStatus {
    private final Path file;
    private final Instant since;
    private final long pid;
    private volatile Optional<String> error = Optional.empty();
    private volatile Optional<Instant> lastSync = Optional.empty();
    private volatile Optional<Instant> lastEvent = Optional.empty();
    private volatile int pending;
    private volatile long conflicts;
    private volatile long passes;
    private volatile long fullScans;
    private volatile String events = "";

    WatchStatus(Path file, Instant since, long pid) {
        this.file = file;
        this.since = since;
        this.pid = pid;
    }

    void error(Optional<String> why) {
        error = why;
    }

    Optional<String> error() {
        return error;
    }

    void synced(Instant at, long unresolvedConflicts, boolean full) {
        lastSync = Optional.of(at);
        conflicts = unresolvedConflicts;
        passes++;
        if (full) {
            fullScans++;
        }
    }

    void event(Instant at) {
        lastEvent = Optional.of(at);
    }

    void pending(int n) {
        pending = n;
    }

    /** How changes are found on each side: events, or full reconciles only (and why). */
    void events(String how) {
        events = how;
    }

    /** The {@code /health} body; {@code status} is {@code ok}, or {@code error} with the {@code reason}. */
    String json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", error.isPresent() ? "error" : "ok");
        error.ifPresent(r -> m.put("reason", r));
        m.put("last_sync", lastSync.map(Instant::toString).orElse(null));
        m.put("pending", pending);
        m.put("conflicts", conflicts);
        m.put("running_since", since.toString());
        m.put("last_event", lastEvent.map(Instant::toString).orElse(null));
        m.put("passes", passes);
        m.put("full_scans", fullScans);
        m.put("events", events);
        m.put("pid", pid);
        return Json.object(m);
    }

    /** Writes the state file (temp + rename: a reader never sees half of it); a failure only costs the report. */
    void save() {
        try {
            dev.duplex.report.ReplacedFile.write(file, json() + "\n");
        } catch (IOException e) {
            // status then shows the last state written; the watch goes on
        }
    }

    void remove() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a stale file names a pid that is gone; status says so
        }
    }
}
