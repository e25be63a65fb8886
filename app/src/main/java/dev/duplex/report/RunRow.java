package dev.duplex.report;

import java.time.Instant;
import java.util.Optional;

/**
 * One row of the {@code runs} table. {@code end} is empty while the run is going, and stays empty for a run that
 * was killed (kill -9, power loss) before it could record its end. {@code host}: {@code host/pid} of the run (runs
 * recorded before hosts were).
 */
public record RunRow(long id, Instant started, long pid, String options, Optional<RunEnd> end,
                     Optional<String> host) {
    public RunRow(long id, Instant started, long pid, String options, Optional<RunEnd> end) {
        this(id, started, pid, options, end, Optional.empty());
    }
}
