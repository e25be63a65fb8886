package dev.duplex.job;

import dev.duplex.backlog.BacklogView;
import dev.duplex.backlog.PgDatabase;
import dev.duplex.report.JobStatus;
import dev.duplex.report.JobStatus.RunState;
import dev.duplex.report.RunRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a job recorded, for {@code status} and {@code history}: read from its db read-only, never touching a share,
 * also while a run holds the lock.
 */
public final class JobRecords {
    /** How many of a shared job's latest runs status lists. */
    static final int HOST_RUNS = 12;

    private JobRecords() {}

    public static boolean exists(Path db) {
        return Files.isRegularFile(db);
    }

    /** A shared job's status, from its PostgreSQL database: with every host's latest runs. */
    public static JobStatus status(PgDatabase db, int listLength) {
        try (BacklogView view = BacklogView.openShared(db)) {
            Optional<RunRow> last = view.runs(1).stream().findFirst();
            return new JobStatus(db.describe(), view.identity(), view.counts(), last,
                    last.map(r -> r.end().isPresent() ? RunState.ENDED : RunState.RUNNING).orElse(RunState.NONE),
                    view.largestPending(listLength), view.failing(listLength), view.filters(), view.fileSystems(),
                    Optional.empty(), view.hostRuns(HOST_RUNS));
        }
    }

    public static List<RunRow> history(PgDatabase db, int limit) {
        try (BacklogView view = BacklogView.openShared(db)) {
            return view.runs(limit);
        }
    }

    public static JobStatus status(Path db, int listLength) {
        try (BacklogView view = BacklogView.open(db)) {
            Optional<RunRow> last = view.runs(1).stream().findFirst();
            Optional<String> identity = view.identity();
            Optional<JobStatus.TwoWay> twoWay = identity.filter(i -> i.startsWith("bisync "))
                    .map(i -> new JobStatus.TwoWay(view.bisyncRecorded(),
                            last.flatMap(RunRow::end).map(e -> e.counts().filesFailed()).orElse(0L),
                            view.conflicts().size(), dev.duplex.report.WatchStateFile.read(db)));
            return new JobStatus(db.toString(), identity, view.counts(), last, stateOf(last),
                    view.largestPending(listLength), view.failing(listLength), view.filters(), view.fileSystems(),
                    twoWay, List.of());
        }
    }

    public static List<RunRow> history(Path db, int limit) {
        try (BacklogView view = BacklogView.open(db)) {
            return view.runs(limit);
        }
    }

    /** A run without a recorded end is running if its process is alive (on this machine), else it vanished. */
    static RunState stateOf(Optional<RunRow> run) {
        if (run.isEmpty()) {
            return RunState.NONE;
        }
        if (run.get().end().isPresent()) {
            return RunState.ENDED;
        }
        boolean alive = ProcessHandle.of(run.get().pid()).map(ProcessHandle::isAlive).orElse(false);
        return alive ? RunState.RUNNING : RunState.VANISHED;
    }
}
