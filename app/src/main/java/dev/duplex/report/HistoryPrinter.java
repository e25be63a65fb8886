package dev.duplex.report;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code duplex history}: the recorded runs, newest first, as a table or (with --json) a JSON array. */
public final class HistoryPrinter {
    private HistoryPrinter() {}

    public static void printText(PrintWriter out, List<RunRow> runs) {
        if (runs.isEmpty()) {
            out.println("no runs recorded in this db yet");
            out.flush();
            return;
        }
        boolean hosts = runs.stream().anyMatch(r -> r.host().isPresent() && !r.options().isEmpty())
                && runs.stream().map(RunRow::host).flatMap(java.util.Optional::stream).distinct().count() > 1;
        out.printf("%5s  %-20s  %9s  %4s  %-12s  %9s  %10s  %7s  %7s  %12s%s%n", "run", "started (UTC)", "took",
                "exit", "outcome", "copied", "bytes", "failed", "pending", "average", hosts ? "  host" : "");
        for (RunRow r : runs) {
            String started = r.started().toString().substring(0, 19).replace('T', ' ');
            String host = hosts ? "  " + r.host().orElse("") : "";
            if (r.end().isEmpty()) {
                out.printf("%5d  %-20s  %9s  %4s  %-12s  (no end recorded: running, or killed)%s%n", r.id(), started,
                        "", "", "", host);
                continue;
            }
            RunEnd e = r.end().get();
            RunCounts c = e.counts();
            out.printf("%5d  %-20s  %9s  %4d  %-12s  %9s  %10s  %7s  %7s  %12s%s%n", r.id(), started,
                    HumanUnits.duration(Duration.between(r.started(), e.ended())), e.exitCode(), e.outcome(),
                    HumanUnits.count(c.filesCopied()), HumanUnits.bytes(c.bytesCopied()),
                    HumanUnits.count(c.filesFailed()), HumanUnits.count(c.pendingFiles()),
                    HumanUnits.rate(c.averageBytesPerSecond()), host);
        }
        out.flush();
    }

    public static void printJson(PrintWriter out, List<RunRow> runs) {
        out.println(Json.object(Map.of("runs", runs.stream().map(HistoryPrinter::toMap).toList())));
        out.flush();
    }

    /** One run as a JSON-ready map (also used by {@code status --json}). */
    static Map<String, Object> toMap(RunRow r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("started", r.started().toString());
        m.put("pid", r.pid());
        r.host().ifPresent(h -> m.put("host", h));
        m.put("options", r.options());
        r.end().ifPresentOrElse(e -> {
            m.put("ended", e.ended().toString());
            m.put("outcome", e.outcome());
            m.put("exit_code", e.exitCode());
            RunCounts c = e.counts();
            m.put("files_copied", c.filesCopied());
            m.put("bytes_copied", c.bytesCopied());
            m.put("files_skipped", c.filesSkipped());
            m.put("files_failed", c.filesFailed());
            m.put("files_deferred", c.filesDeferred());
            m.put("files_deleted", c.filesDeleted());
            m.put("pending_files", c.pendingFiles());
            m.put("average_bytes_per_second", Math.round(c.averageBytesPerSecond()));
            e.error().ifPresent(err -> m.put("error", err));
        }, () -> m.put("ended", null));
        return m;
    }
}
