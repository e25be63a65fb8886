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
        Path a = JobFiles.defaultDb(state, Location.parse("/mnt/src"), List.of(Location.parse("/mnt/dst")));
        assertThat(a).isEqualTo(JobFiles.defaultDb(state, Location.parse("/mnt/src"),
                List.of(Location.parse("/mnt/dst"))));
        assertThat(a).isNotEqualTo(JobFiles.defaultDb(state, Location.parse("/mnt/src"),
                List.of(Location.parse("/mnt/other"))));
        assertThat(a.getFileName().toString()).matches("src-[0-9a-f]{12}\\.db");
        // the name v1 gave this job: a db made before endpoints existed is still found
        assertThat(a.getFileName().toString()).isEqualTo("src-877cd152078c.db");
        assertThat(JobFiles.defaultAuditLog(a).getFileName().toString()).endsWith(".audit.jsonl");
    }

    @Test
    void aJobWithAnEndpointIsNamedAfterTheEndpointsLastPart() {
        Path state = Path.of("/state");
        Path pull = JobFiles.defaultDb(state, Location.parse("duplex://nas/data/photos"),
                List.of(Location.parse("/mnt/dst")));
        assertThat(pull.getFileName().toString()).matches("photos-[0-9a-f]{12}\\.db");
        Path module = JobFiles.defaultDb(state, Location.parse("duplexs://nas:9000/data"),
                List.of(Location.parse("/mnt/dst")));
        assertThat(module.getFileName().toString()).matches("data-[0-9a-f]{12}\\.db");
        assertThat(JobFiles.defaultDb(state, Location.parse("duplex://nas:9031/data/photos"),
                List.of(Location.parse("/mnt/dst")))).isEqualTo(pull); // the default port is the same endpoint
    }
}
