package dev.duplex.report;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code duplex status}: a job's state for people, or (with --json) for scripts. */
public final class StatusPrinter {
    private StatusPrinter() {}

    public static void printText(PrintWriter out, JobStatus s) {
        JobCounts c = s.counts();
        out.println("job:      " + s.job().orElse("(not recorded yet)"));
        out.println("db:       " + s.db());
        s.filters().ifPresent(f -> out.println("filters:  " + (f.isEmpty() ? "none" : f)));
        if (!s.fileSystems().isEmpty()) {
            out.println("file systems (the mount guard's record):");
            s.fileSystems().forEach((root, fs) -> out.printf("  %-6s %s%n", root, fs));
        }
        if (s.twoWay().isPresent()) {
            JobStatus.TwoWay t = s.twoWay().get();
            out.println("two-way:  " + HumanUnits.count(t.recordedPaths()) + " paths recorded as agreeing on both sides");
            out.println("pending:  " + HumanUnits.count(t.failedLastRun())
                    + " failed in the last run (decided again by the next run)");
            out.println("conflicts: " + HumanUnits.count(t.unresolvedConflicts())
                    + " unresolved (duplex conflicts --db " + s.db() + ")");
            out.println("last run: " + lastRun(s));
            t.watch().ifPresent(w -> out.println("watch:    " + watchLine(w)));
            out.flush();
            return;
        }
        out.println("synced:   " + tally(c.synced()));
        java.util.List<String> ofWhich = new java.util.ArrayList<>();
        if (c.failing().files() > 0) {
            ofWhich.add(tally(c.failing()) + " failed at least once");
        }
        if (c.deferred().files() > 0) {
            ofWhich.add(tally(c.deferred()) + " deferred (not stable yet)");
        }
        out.println("pending:  " + tally(c.pending())
                + (ofWhich.isEmpty() ? "" : ", of which " + String.join(", ", ofWhich))
                + (c.preparedFiles() > 0 ? "; " + HumanUnits.count(c.preparedFiles()) + " mid-commit" : "")
                + (c.pendingLinks() > 0 ? "; " + HumanUnits.count(c.pendingLinks()) + " symlinks" : ""));
        out.println("last run: " + lastRun(s));
        hosts(out, s.hosts());
        list(out, "largest pending:", s.largestPending(), false);
        list(out, "failing files (last error):", s.failing(), true);
        out.flush();
    }

    /** A shared job's hosts: each run's state, what it holds now, what it copied and at what rate. */
    private static void hosts(PrintWriter out, List<HostRun> hosts) {
        if (hosts.isEmpty()) {
            return;
        }
        out.println("hosts (latest runs on the shared job):");
        for (HostRun h : hosts) {
            String state = h.ended().isPresent() ? "ended " + h.ended().get() + " (" + h.outcome().orElse("?") + ")"
                    : h.silentFor().map(d -> d.toSeconds() < 60 ? "running (heartbeat " + d.toMillis() / 1000.0
                            + " s ago)" : "silent for " + HumanUnits.duration(d) + ": stopped or cut off, its files "
                            + "go to the others when its leases expire").orElse("started");
            out.printf("  %-24s %s; holds %s files (%s); copied %s files (%s) at %s%n", h.worker(), state,
                    HumanUnits.count(h.filesHeld()), HumanUnits.bytes(h.bytesHeld()), HumanUnits.count(h.filesCopied()),
                    HumanUnits.bytes(h.bytesCopied()), HumanUnits.rate(h.rate()));
        }
    }

    private static String watchLine(Map<String, Object> w) {
        if (!Boolean.TRUE.equals(w.get("running"))) {
            return "not running (pid " + w.get("pid") + ", which last reported at " + w.get("last_sync")
                    + ", is gone)";
        }
        return "running since " + w.get("running_since") + " (pid " + w.get("pid") + "); "
                + ("error".equals(w.get("status")) ? "NOT SYNCING: " + w.get("reason") : "ok") + "; last sync "
                + w.get("last_sync") + ", last event " + w.get("last_event") + ", pending " + w.get("pending")
                + ", passes " + w.get("passes") + " (full " + w.get("full_scans") + "); " + w.get("events");
    }

    private static String lastRun(JobStatus s) {
        if (s.lastRun().isEmpty()) {
            return "none recorded";
        }
        RunRow r = s.lastRun().get();
        String start = "#" + r.id() + " started " + r.started();
        return switch (s.lastRunState()) {
            case RUNNING -> start + ", running now (pid " + r.pid() + ")";
            case VANISHED -> start + ", did not record its end (pid " + r.pid()
                    + " is gone: killed, crashed or the machine stopped)";
            default -> r.end().map(e -> start + ", ended " + e.ended() + " after "
                    + HumanUnits.duration(Duration.between(r.started(), e.ended())) + ": exit " + e.exitCode()
                    + " (" + e.outcome() + "), copied " + HumanUnits.count(e.counts().filesCopied()) + " files ("
                    + HumanUnits.bytes(e.counts().bytesCopied()) + "), failed "
                    + HumanUnits.count(e.counts().filesFailed()) + ", average "
                    + HumanUnits.rate(e.counts().averageBytesPerSecond())
                    + e.error().map(err -> "; error: " + err).orElse("")).orElse(start);
        };
    }

    private static void list(PrintWriter out, String heading, List<PendingFile> files, boolean errors) {
        if (files.isEmpty()) {
            return;
        }
        out.println(heading);
        for (PendingFile f : files) {
            if (errors) {
                out.println("  " + f.sourcePath() + ": " + f.error().orElse("?") + " (" + f.attempts()
                        + (f.attempts() == 1 ? " attempt)" : " attempts)"));
            } else {
                out.printf("  %10s  %s%n", HumanUnits.bytes(f.sizeBytes()), f.sourcePath());
            }
        }
    }

    private static String tally(JobCounts.Tally t) {
        return HumanUnits.count(t.files()) + " files (" + HumanUnits.bytes(t.bytes()) + ")";
    }

    public static void printJson(PrintWriter out, JobStatus s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("db", s.db());
        m.put("job", s.job());
        m.put("filters", s.filters());
        m.put("file_systems", s.fileSystems());
        JobCounts c = s.counts();
        s.twoWay().ifPresent(t -> {
            m.put("recorded_paths", t.recordedPaths());
            m.put("failed_last_run", t.failedLastRun());
            m.put("unresolved_conflicts", t.unresolvedConflicts());
            t.watch().ifPresent(w -> m.put("watch", w));
        });
        m.put("synced", tallyMap(c.synced()));
        m.put("pending", tallyMap(c.pending()));
        m.put("failing", tallyMap(c.failing()));
        m.put("deferred", tallyMap(c.deferred()));
        m.put("prepared_files", c.preparedFiles());
        m.put("pending_links", c.pendingLinks());
        m.put("last_run_state", s.lastRunState().jsonValue());
        m.put("last_run", s.lastRun().map(HistoryPrinter::toMap));
        m.put("largest_pending", s.largestPending().stream().map(StatusPrinter::fileMap).toList());
        m.put("failing_files", s.failing().stream().map(StatusPrinter::fileMap).toList());
        if (!s.hosts().isEmpty()) {
            m.put("hosts", s.hosts().stream().map(StatusPrinter::hostMap).toList());
        }
        out.println(Json.object(m));
        out.flush();
    }

    private static Map<String, Object> hostMap(HostRun h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("host", h.worker());
        m.put("started", h.started().toString());
        m.put("ended", h.ended().map(Object::toString).orElse(null));
        m.put("outcome", h.outcome().orElse(null));
        m.put("heartbeat_age_ms", h.silentFor().map(Duration::toMillis).orElse(null));
        m.put("files_held", h.filesHeld());
        m.put("bytes_held", h.bytesHeld());
        m.put("files_copied", h.filesCopied());
        m.put("bytes_copied", h.bytesCopied());
        m.put("bytes_per_second", Math.round(h.rate()));
        return m;
    }

    private static Map<String, Object> tallyMap(JobCounts.Tally t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("files", t.files());
        m.put("bytes", t.bytes());
        return m;
    }

    private static Map<String, Object> fileMap(PendingFile f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", f.sourcePath());
        m.put("size", f.sizeBytes());
        m.put("attempts", f.attempts());
        m.put("error", f.error());
        return m;
    }
}
