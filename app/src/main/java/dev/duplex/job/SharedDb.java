package dev.duplex.job;

import dev.duplex.backlog.PgDatabase;
import java.time.Duration;

/**
 * A job whose backlog lives in PostgreSQL, shared by every host that runs it ({@code --db postgresql://...}).
 *
 * @param lease how long a host holds a file it claimed without renewing ({@code --lease}); a dead host's files go
 *     to the others after it
 */
public record SharedDb(PgDatabase database, Duration lease) {
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(60);
}
