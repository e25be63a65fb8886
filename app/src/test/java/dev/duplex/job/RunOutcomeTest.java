package dev.duplex.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.cli.ExitCode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The runs table and the JSON summary record the same exit codes the process returns. */
class RunOutcomeTest {
    @ParameterizedTest
    @CsvSource({"SYNCED, SYNCED", "FILES_FAILED, FILES_FAILED", "USAGE, USAGE", "LOCKED, LOCKED", "FATAL, FATAL",
        "INTERRUPTED, INTERRUPTED"})
    void recordsTheContractsExitCodes(RunOutcome outcome, ExitCode code) {
        assertThat(outcome.exitCode()).isEqualTo(code.code());
    }

    @ParameterizedTest
    @CsvSource({"USAGE, USAGE", "LOCKED, LOCKED", "FATAL, FATAL"})
    void mapsJobFailuresAsMainDoes(JobFailure.Kind kind, RunOutcome expected) {
        assertThat(RunOutcome.of(new JobFailure(kind, "x"))).isEqualTo(expected);
    }
}
