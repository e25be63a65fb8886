package dev.duplex.report;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code --json-summary PATH}: the end of a run as one JSON object for CI scripts, written (atomically) for every
 * run that got past option parsing, also one that failed, was refused the lock or was interrupted; then
 * {@code summary} is empty when the run stopped before it could count anything.
 *
 * @param outcome {@code synced}, {@code files_failed}, {@code usage}, {@code locked}, {@code fatal} or
 *     {@code interrupted}
 */
public record JsonSummary(String version, Instant started, Instant ended, String outcome, int exitCode,
                          Optional<RunSummary> summary, String source, List<String> destinations, String db,
                          Optional<String> error) {

    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", version);
        m.put("started", started.toString());
        m.put("ended", ended.toString());
        m.put("outcome", outcome);
        m.put("exit_code", exitCode);
        m.put("source", source);
        m.put("dest", destinations.get(0));
        if (destinations.size() > 1) {
            m.put("dest2", destinations.get(1));
        }
        m.put("db", db);
        summary.ifPresent(s -> counts(m, s));
        error.ifPresent(e -> m.put("error", e));
        return Json.object(m) + "\n";
    }

    private static void counts(Map<String, Object> m, RunSummary s) {
        m.put("dry_run", s.dryRun());
        m.put("interrupted", s.interrupted());
        m.put("files_copied", s.filesCopied());
        m.put("bytes_copied", s.bytesCopied());
        m.put("files_skipped", s.filesSkipped());
        m.put("files_failed", s.filesFailed());
        m.put("files_deferred", s.filesDeferred());
        m.put("files_deleted", s.filesDeleted());
        m.put("symlinks", s.symlinks());
        m.put("pending_files", s.pendingLeft());
        m.put("cleanup_refused", s.cleanupRefused());
        m.put("duration_seconds", s.duration().toMillis() / 1000.0);
        m.put("average_bytes_per_second", Math.round(s.bytesCopied() / seconds(s.duration())));
        m.put("bytes_written", s.bytesWrittenPerDestination());
    }

    private static double seconds(Duration d) {
        return Math.max(d.toMillis(), 1) / 1000.0;
    }

    public void writeTo(Path path) throws IOException {
        ReplacedFile.write(path, toJson());
    }
}
