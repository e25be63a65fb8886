package dev.duplex.cli;

/** The exit codes of the command-line contract; the only place their numbers are written. */
public enum ExitCode {
    SYNCED(0, "everything is synced"),
    FILES_FAILED(1, "some files failed; they stay pending and the next run retries them"),
    USAGE(2, "usage or configuration error; nothing changed"),
    LOCKED(3, "another run holds this job's db lock"),
    FATAL(4, "fatal: source root missing or unreadable, destination root not creatable, db unusable"),
    /** 128 + SIGINT; Main reports 143 (128 + SIGTERM) when SIGTERM stopped the run. */
    INTERRUPTED(130, "interrupted by SIGINT (130) or SIGTERM (143): in-progress files abandoned, the rest recorded");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }
}
