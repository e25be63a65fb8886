package dev.duplex.report;

/** The audit log cannot be written (disk full, share gone): the run stops, since it could no longer account for files. */
public final class AuditLogException extends RuntimeException {
    AuditLogException(String message, Throwable cause) {
        super(message, cause);
    }
}
