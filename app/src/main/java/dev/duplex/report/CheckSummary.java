package dev.duplex.report;

import java.io.PrintWriter;

/**
 * The end of a {@code check}: how many synced files and copies were read and how many did not match.
 *
 * @param filesChecked synced files in the db (each has one copy per destination)
 * @param filesNotChecked files not yet synced (pending or mid-commit); check skips them
 */
public record CheckSummary(long filesChecked, long copiesChecked, long bytesRead, long mismatched, long missing,
                           long unreadable, long filesNotChecked) {

    /** Every copy was read and matched the db. */
    public boolean allMatch() {
        return mismatched == 0 && missing == 0 && unreadable == 0;
    }

    public void print(PrintWriter out) {
        out.printf("checked %s files (%s copies, %s read): %s mismatched, %s missing, %s unreadable%s%n",
                HumanUnits.count(filesChecked), HumanUnits.count(copiesChecked), HumanUnits.bytes(bytesRead),
                HumanUnits.count(mismatched), HumanUnits.count(missing), HumanUnits.count(unreadable),
                filesNotChecked > 0 ? "; " + HumanUnits.count(filesNotChecked) + " files not synced yet, not checked"
                        : "");
        out.println(allMatch() ? "OK: every copy matches the db" : "NOT OK: see the lines above");
        out.flush();
    }
}
