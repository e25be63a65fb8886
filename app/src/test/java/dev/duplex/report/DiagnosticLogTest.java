package dev.duplex.report;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DiagnosticLogTest {
    @ParameterizedTest
    @CsvSource({"0, INFO", "1, DEBUG", "2, TRACE", "5, TRACE"})
    void verbosityRaisesTheLevel(int verbosity, String level) {
        assertThat(DiagnosticLog.levelFor(verbosity)).isEqualTo(Level.toLevel(level));
    }

    @ParameterizedTest
    @CsvSource({"/s/job.log, /s/job.%i.log", "/s/diag, /s/diag.%i"})
    void rolledFilesKeepTheLogSuffix(String file, String pattern) {
        assertThat(DiagnosticLog.rolledName(Path.of(file))).isEqualTo(pattern);
    }
}
