package dev.duplex.model;

import dev.duplex.cli.RunEnvironment;
import dev.duplex.testing.Duplex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

/**
 * The model-based test, in-process through Main's entry: random trees, random changes between runs, the
 * destinations checked against the source after every run, with one and two destinations, with and without
 * --delete-extras. 200 trials in CI (jqwik.tries.default in junit-platform.properties), from a fixed seed so that
 * CI is repeatable; more with {@code -Djqwik.tries.default=2000}, other trials by changing the seed.
 */
class SyncModelIT {
    @Provide
    Arbitrary<SyncModel.Scenario> scenarios() {
        return SyncModel.scenarios(4);
    }

    @Property(seed = "20261123", shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.NONE)
    void theDestinationsEqualTheSourceAfterEveryRun(@ForAll("scenarios") SyncModel.Scenario scenario)
            throws IOException {
        Path work = Files.createTempDirectory("duplex-model-");
        try {
            SyncModel.play(scenario, work, args -> {
                Duplex.Result r = Duplex.run(RunEnvironment.forTests(work.resolve("state")),
                        args.toArray(String[]::new));
                return new SyncModel.Outcome(r.exitCode(), r.out(), r.err());
            });
        } finally {
            SyncModel.deleteTree(work);
        }
    }
}
