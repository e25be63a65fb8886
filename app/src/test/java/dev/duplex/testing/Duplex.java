package dev.duplex.testing;

import dev.duplex.Main;
import dev.duplex.cli.RunEnvironment;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs the command line in-process, the way Main does, capturing stdout, stderr and the exit code. */
public final class Duplex {
    private Duplex() {}

    /** The result of one run. */
    public record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    public static Result run(Path stateHome, String... args) {
        return run(RunEnvironment.forTests(stateHome), args);
    }

    public static Result run(Path stateHome, Clock clock, String... args) {
        return run(new RunEnvironment(false, clock, Map.of("XDG_STATE_HOME", stateHome.toString()),
                stateHome.toString(), "Linux"), args);
    }

    public static Result run(RunEnvironment env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), env);
        return new Result(code, out.toString(), err.toString());
    }

    /** {@code --db <dir>/job.db} followed by the given arguments. */
    public static String[] withDb(Path dir, String... args) {
        List<String> all = new ArrayList<>(List.of("--db", dir.resolve("job.db").toString()));
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }
}
