package dev.duplex.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * What a run takes from its surroundings: whether a person watches a terminal, the clock, the environment
 * variables (for the state directory). Tests build their own; {@link #fromSystem()} is the real one.
 */
public record RunEnvironment(boolean interactive, Clock clock, Map<String, String> env, String userHome,
                             String osName) {

    public static RunEnvironment fromSystem() {
        return new RunEnvironment(System.console() != null, Clock.systemUTC(), System.getenv(),
                System.getProperty("user.home"), System.getProperty("os.name", ""));
    }

    /** For tests: no terminal, the given state home. */
    public static RunEnvironment forTests(Path stateHome) {
        return new RunEnvironment(false, Clock.systemUTC(), Map.of("XDG_STATE_HOME", stateHome.toString()),
                stateHome.toString(), "Linux");
    }
}
