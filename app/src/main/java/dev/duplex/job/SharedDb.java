package dev.duplex.job;

import dev.duplex.backlog.PgDatabase;
import java.time.Duration;

/**
 * A job whose backlog lives in PostgreSQL, shared by every host that runs it ({@code --db postgresql://...}).
 *
 * @param lease how long a host holds a file it claimed without renewing ({@code --lease}); a dead host's files go
 *     to the others after it
 * @param claimFiles at most this many files per claim
 * @param claimBytes about this many bytes per claim (at least one file)
 */
public record SharedDb(PgDatabase database, Duration lease, int claimFiles, long claimBytes) {
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(60);
    public static final int CLAIM_FILES = 64;
    public static final long CLAIM_BYTES = 64L << 20;
}
