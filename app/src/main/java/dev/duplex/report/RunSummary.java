package dev.duplex.report;

import java.io.PrintWriter;
import java.time.Duration;

/**
 * The end-of-run summary: what was copied, skipped, failed, deferred and deleted, how many bytes, how long, and at
 * what average rate.
 *
 * @param interrupted the run was stopped by SIGINT/SIGTERM before it finished
 * @param cleanupRefused mirror cleanup refused to delete (empty source, --max-delete exceeded)
 * @param filesSkipped files already up to date in every destination at scan time
 * @param pendingLeft files still pending after the run (failed or deferred ones)
 * @param bytesWrittenPerDestination with two destinations, what each one received (a file current on one
 *     destination is written to the other only)
 */
public record RunSummary(boolean dryRun, boolean interrupted, boolean cleanupRefused, long filesCopied, long bytesCopied, long filesSkipped, long filesFailed,
                         long filesDeferred, long filesDeleted, long pendingLeft, Duration duration,
                         java.util.List<Long> bytesWrittenPerDestination, long symlinks) {

    /** Exit 1: files failed, or mirror cleanup refused to run. */
    public boolean hasFailures() {
        return filesFailed > 0 || cleanupRefused;
    }

    public void print(PrintWriter out) {
        double seconds = Math.max(duration.toMillis(), 1) / 1000.0;
        if (interrupted) {
            out.println("interrupted: the run did not finish; the next run resumes the backlog");
        }
        String verb = dryRun ? "would copy" : "copied";
        if (symlinks > 0) {
            out.printf("%s %s symlinks%n", dryRun ? "would make" : "made", HumanUnits.count(symlinks));
        }
        out.printf("%s %s files (%s), skipped %s up to date, failed %s, deferred %s, %s %s extras%n",
                verb, HumanUnits.count(filesCopied), HumanUnits.bytes(bytesCopied), HumanUnits.count(filesSkipped),
                HumanUnits.count(filesFailed), HumanUnits.count(filesDeferred), dryRun ? "would delete" : "deleted",
                HumanUnits.count(filesDeleted));
        if (!dryRun) {
            out.printf("%s in %s, average %s%s%n", HumanUnits.bytes(bytesCopied), HumanUnits.seconds(duration),
                    HumanUnits.rate(bytesCopied / seconds),
                    pendingLeft > 0 ? "; " + HumanUnits.count(pendingLeft)
                            + " files still pending (the next run retries them)" : "");
            if (bytesWrittenPerDestination.size() > 1) {
                out.printf("written: DEST %s, DEST2 %s%n", HumanUnits.bytes(bytesWrittenPerDestination.get(0)),
                        HumanUnits.bytes(bytesWrittenPerDestination.get(1)));
            }
        }
        out.flush();
    }
}
