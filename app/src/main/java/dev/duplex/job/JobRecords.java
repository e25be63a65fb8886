package dev.duplex.job;

import dev.duplex.backlog.BacklogView;
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
    private JobRecords() {}

    public static boolean exists(Path db) {
        return Files.isRegularFile(db);
    }

    public static JobStatus status(Path db, int listLength) {
        try (BacklogView view = BacklogView.open(db)) {
            Optional<RunRow> last = view.runs(1).stream().findFirst();
            Optional<String> identity = view.identity();
            Optional<JobStatus.TwoWay> twoWay = identity.filter(i -> i.startsWith("bisync "))
                    .map(i -> new JobStatus.TwoWay(view.bisyncRecorded(),
                            last.flatMap(RunRow::end).map(e -> e.counts().filesFailed()).orElse(0L),
                            view.conflicts().size(), dev.duplex.report.WatchStateFile.read(db)));
            return new JobStatus(db, identity, view.counts(), last, stateOf(last),
                    view.largestPending(listLength), view.failing(listLength), view.filters(), view.fileSystems(),
                    twoWay);
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
