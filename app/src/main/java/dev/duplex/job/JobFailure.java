package dev.duplex.job;

/**
 * A failure that ends the whole run, with the kind that decides the exit code. The message is written for
 * the user: what failed, the path, the cause and what to do.
 */
public final class JobFailure extends RuntimeException {
    /** Why the run could not go on. */
    public enum Kind {
        /** bad input detected after parsing (e.g. a db that belongs to another job) */
        USAGE,
        /** another run holds the job lock */
        LOCKED,
        /** source root missing or unreadable, destination root not creatable, db unusable */
        FATAL
    }

    private final Kind kind;

    public JobFailure(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public JobFailure(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static JobFailure fatal(String message, Throwable cause) {
        return new JobFailure(Kind.FATAL, message, cause);
    }

    public static JobFailure fatal(String message) {
        return new JobFailure(Kind.FATAL, message);
    }

    public static JobFailure usage(String message) {
        return new JobFailure(Kind.USAGE, message);
    }
}
