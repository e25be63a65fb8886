package dev.duplex.backlog;

import java.sql.SQLException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Turns a SQLite failure into what the user can do about it: a full disk, a read-only or unreadable db, a damaged
 * db, an I/O error. Every case ends the run with exit 4; the advice says why nothing is lost.
 */
final class DbTrouble {
    private DbTrouble() {}

    /** " (advice)" for the failure, or "" when there is nothing specific to say. */
    static String advice(SQLException e) {
        if (!(e instanceof SQLiteException se)) {
            return "";
        }
        SQLiteErrorCode code = se.getResultCode();
        String name = code == null ? "" : code.name();
        if (name.startsWith("SQLITE_FULL")) {
            return " (the disk holding the db is full: free space there, or move the job with --db, and run again; "
                    + "files copied but not yet recorded are simply copied again)";
        }
        if (name.startsWith("SQLITE_READONLY") || name.startsWith("SQLITE_CANTOPEN") || name.startsWith("SQLITE_PERM")
                || name.startsWith("SQLITE_AUTH")) {
            return " (the db or its directory cannot be opened for writing: check permissions and that the disk is "
                    + "mounted read-write)";
        }
        if (name.startsWith("SQLITE_CORRUPT") || name.startsWith("SQLITE_NOTADB")) {
            return " (the db is damaged: move it aside and run again; a new db rescans and skips every file the "
                    + "destination already has with the same size and mtime)";
        }
        if (name.startsWith("SQLITE_IOERR")) {
            return " (I/O error on the disk holding the db: check that disk)";
        }
        return "";
    }

    /** Advice for a db that fails its integrity check at open, before anything was changed. */
    static String damaged() {
        return " (the db is damaged; the destinations were not touched: move the db aside and run again, a new db "
                + "rescans and skips every file the destination already has with the same size and mtime)";
    }
}
