package dev.duplex.cli;

import dev.duplex.bisync.BisyncCounts;
import dev.duplex.bisync.Side;
import dev.duplex.report.Json;
import dev.duplex.report.ReplacedFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code duplex bisync --json-summary PATH}: a run's (or a whole watch's) counts as one JSON object. */
final class BisyncSummaryFile {
    private BisyncSummaryFile() {
    }

    static void write(Path jsonSummary, BisyncCounts c, PrintWriter err) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("exit_code", c.failed() > 0 || c.unresolved() > 0 ? 1 : 0);
        f.put("copied_left_to_right", c.copiedTo(Side.RIGHT));
        f.put("bytes_left_to_right", c.bytesTo(Side.RIGHT));
        f.put("copied_right_to_left", c.copiedTo(Side.LEFT));
        f.put("bytes_right_to_left", c.bytesTo(Side.LEFT));
        f.put("renames", c.renames());
        f.put("deletes", c.deletes());
        f.put("soft_deletes", c.trashed());
        f.put("mtimes", c.mtimes());
        f.put("conflicts", c.conflicts());
        f.put("unresolved_conflicts", c.unresolved());
        f.put("failed", c.failed());
        f.put("mails_sent", c.mailsSent());
        f.put("mails_failed", c.mailsFailed());
        Path target = jsonSummary.toAbsolutePath();
        try {
            ReplacedFile.write(target, Json.object(f) + "\n");
        } catch (IOException e) {
            err.println("duplex bisync: cannot write --json-summary " + target + ": " + e);
        }
    }
}
