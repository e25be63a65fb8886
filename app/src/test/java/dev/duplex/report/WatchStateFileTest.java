package dev.duplex.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchStateFileTest {
    @TempDir
    Path dir;

    @Test
    void readsBackWhatJsonWritesAndTellsWhetherItsProcessRuns() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "error");
        m.put("reason", "LEFT /mnt/a \"share\" is missing\nsee\tthis \\ é");
        m.put("last_sync", null);
        m.put("pending", 12L);
        m.put("pid", ProcessHandle.current().pid());
        Path db = dir.resolve("job.db");
        Files.writeString(WatchStateFile.fileFor(db), Json.object(m) + "\n");
        Map<String, Object> read = WatchStateFile.read(db).orElseThrow();
        assertThat(read).containsEntry("status", "error").containsEntry("reason", m.get("reason"))
                .containsEntry("last_sync", null).containsEntry("pending", 12L).containsEntry("running", true);
        m.put("pid", Long.MAX_VALUE - 1);
        Files.writeString(WatchStateFile.fileFor(db), Json.object(m));
        assertThat(WatchStateFile.read(db).orElseThrow()).containsEntry("running", false);
    }

    @Test
    void noFileOrABrokenOneIsNoState() throws Exception {
        Path db = dir.resolve("job.db");
        assertThat(WatchStateFile.read(db)).isEmpty();
        Files.writeString(WatchStateFile.fileFor(db), "{\"status\":");
        assertThat(WatchStateFile.read(db)).isEmpty();
    }
}
