package dev.duplex.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The audit log stays valid JSON Lines across runs, even after a run killed in the middle of a line. */
class AuditLogTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path tmp;

    private static void appendOneLine(Path log) throws Exception {
        try (AuditLog audit = AuditLog.open(log, CLOCK)) {
            audit.synced("/s/new", "/d/new", Optional.empty(), 1, "sha256", "ab");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 40, 9000})
    void aTornLastLineIsCutOffBeforeTheNextRunAppends(int tornBytes) throws Exception {
        Path log = tmp.resolve("audit.jsonl");
        String whole = "{\"time\":\"2026-01-01T00:00:00Z\",\"event\":\"deleted\",\"source\":\"/s/x\",\"dest\":\"/d/x\"}\n";
        String torn = ("{\"time\":\"2026-01-01T00:00:00Z\",\"event\":\"synced\",\"source\":\"/s/" + "y".repeat(tornBytes))
                .substring(0, Math.max(1, tornBytes));
        Files.writeString(log, whole + whole + torn, StandardCharsets.UTF_8);
        appendOneLine(log);
        assertThat(Files.readAllLines(log)).hasSize(3).allSatisfy(l -> assertThat(l).startsWith("{\"time\":")
                .endsWith("}").containsOnlyOnce("{\"time\":"));
        assertThat(Files.readAllLines(log).get(2)).contains("\"source\":\"/s/new\"");
    }

    @Test
    void aFileThatIsOnlyATornLineBecomesEmptyFirst() throws Exception {
        Path log = tmp.resolve("audit.jsonl");
        Files.writeString(log, "{\"time\":\"2026-01-0");
        appendOneLine(log);
        assertThat(Files.readAllLines(log)).hasSize(1).allSatisfy(l -> assertThat(l).startsWith("{\"time\":"));
    }

    @Test
    void wholeLinesAreLeftAlone() throws Exception {
        Path log = tmp.resolve("audit.jsonl");
        appendOneLine(log);
        appendOneLine(log);
        assertThat(Files.readAllLines(log)).hasSize(2);
    }
}
