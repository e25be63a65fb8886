package dev.duplex.report;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code duplex status} reports, read from the job db alone (no share is touched).
 *
 * @param lastRun the newest recorded run, if any
 * @param lastRunState whether that run is still going, ended, or vanished without recording its end
 * @param filters the filters the backlog was scanned with ({@code ""}: none), when recorded
 * @param fileSystems the file system the mount guard recorded for each root, by root
 * @param hosts a shared (PostgreSQL) job's latest runs, one per host process; empty for a SQLite job
 */
public record JobStatus(String db, Optional<String> job, JobCounts counts, Optional<RunRow> lastRun,
                        RunState lastRunState, List<PendingFile> largestPending, List<PendingFile> failing,
                        Optional<String> filters, java.util.Map<String, String> fileSystems,
                        Optional<TwoWay> twoWay, List<HostRun> hosts) {

    /**
     * A two-way job's state: the paths it records, the files that failed in its last run (decided again by the
     * next), and its unresolved conflicts.
     */
    /** {@code watch}: what a {@code --watch} of this job last reported (with {@code running}), if one ever ran. */
    public record TwoWay(long recordedPaths, long failedLastRun, long unresolvedConflicts,
                         Optional<Map<String, Object>> watch) {}

    /** The state of the newest run. */
    public enum RunState {
        /** no run recorded (a db from before runs were recorded) */
        NONE("none"),
        /** no end recorded and its process is alive */
        RUNNING("running"),
        ENDED("ended"),
        /** no end recorded and its process is gone: killed (-9), crashed, or the machine stopped */
        VANISHED("vanished");

        private final String jsonValue;

        RunState(String jsonValue) {
            this.jsonValue = jsonValue;
        }

        public String jsonValue() {
            return jsonValue;
        }
    }
}
