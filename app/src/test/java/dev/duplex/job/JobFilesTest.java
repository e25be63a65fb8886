package dev.duplex.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobFilesTest {
    @Test
    void usesXdgStateHomeThenHomeOnUnixAndLocalAppDataOnWindows() {
        assertThat(JobFiles.stateDirectory(Map.of("XDG_STATE_HOME", "/x"), "/home/u", "Linux"))
                .isEqualTo(Path.of("/x/duplex"));
        assertThat(JobFiles.stateDirectory(Map.of(), "/home/u", "Linux"))
                .isEqualTo(Path.of("/home/u/.local/state/duplex"));
        assertThat(JobFiles.stateDirectory(Map.of("LOCALAPPDATA", "C:/Users/u/AppData/Local"), "C:/Users/u",
                "Windows 11")).isEqualTo(Path.of("C:/Users/u/AppData/Local", "duplex"));
    }

    @Test
    void theEnvironmentsHomeWinsOverThePasswordDatabases() {
        assertThat(JobFiles.stateDirectory(Map.of("HOME", "/srv/ci"), "/root", "Linux"))
                .isEqualTo(Path.of("/srv/ci/.local/state/duplex"));
        assertThat(JobFiles.stateDirectory(Map.of("HOME", ""), "/root", "Linux"))
                .isEqualTo(Path.of("/root/.local/state/duplex"));
        // a relative XDG_STATE_HOME is invalid by the XDG spec and ignored
        assertThat(JobFiles.stateDirectory(Map.of("XDG_STATE_HOME", "rel", "HOME", "/h"), "/root", "Linux"))
                .isEqualTo(Path.of("/h/.local/state/duplex"));
    }

    @Test
    void derivesOneDbPerJobSoTheSameCommandResumesTheSameJob() {
        Path state = Path.of("/state");
        Path a = JobFiles.defaultDb(state, Path.of("/mnt/src"), List.of(Path.of("/mnt/dst")));
        assertThat(a).isEqualTo(JobFiles.defaultDb(state, Path.of("/mnt/src"), List.of(Path.of("/mnt/dst"))));
        assertThat(a).isNotEqualTo(JobFiles.defaultDb(state, Path.of("/mnt/src"), List.of(Path.of("/mnt/other"))));
        assertThat(a.getFileName().toString()).matches("src-[0-9a-f]{12}\\.db");
        assertThat(JobFiles.defaultAuditLog(a).getFileName().toString()).endsWith(".audit.jsonl");
    }
}
