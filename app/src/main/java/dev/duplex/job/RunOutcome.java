package dev.duplex.job;

import dev.duplex.report.RunSummary;

/**
 * How a run ended, with the name recorded in the {@code runs} table and the exit code the process returns. The
 * codes are the contract's (cli's {@code ExitCode} prints them; a unit test keeps the two in step).
 */
public enum RunOutcome {
    SYNCED("synced", 0),
    FILES_FAILED("files_failed", 1),
    USAGE("usage", 2),
    LOCKED("locked", 3),
    FATAL("fatal", 4),
    /** SIGINT or SIGTERM; the process exits 143 for SIGTERM, which the job cannot tell from SIGINT. */
    INTERRUPTED("interrupted", 130);

    private final String dbValue;
    private final int exitCode;

    RunOutcome(String dbValue, int exitCode) {
        this.dbValue = dbValue;
        this.exitCode = exitCode;
    }

    public String dbValue() {
        return dbValue;
    }

    public int exitCode() {
        return exitCode;
    }

    public static RunOutcome of(RunSummary summary) {
        if (summary.interrupted()) {
            return INTERRUPTED;
        }
        return summary.hasFailures() ? FILES_FAILED : SYNCED;
    }

    /** The outcome of a run stopped by {@code failure}: what Main's exception mapping will return. */
    public static RunOutcome of(Throwable failure) {
        if (failure instanceof JobFailure f) {
            return switch (f.kind()) {
                case USAGE -> USAGE;
                case LOCKED -> LOCKED;
                case FATAL -> FATAL;
            };
        }
        if (failure instanceof InterruptedException) {
            return INTERRUPTED;
        }
        return FATAL; // db failures (BacklogException) and anything unexpected
    }
}
