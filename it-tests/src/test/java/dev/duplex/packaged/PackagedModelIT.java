package dev.duplex.packaged;

import dev.duplex.model.SyncModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

/**
 * The model-based test of app's SyncModelIT (random trees, random changes, destinations checked after every run),
 * a few trials through the packaged jar as a separate process: what users run, with its launcher-free defaults.
 */
class PackagedModelIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @Provide
    Arbitrary<SyncModel.Scenario> scenarios() {
        return SyncModel.scenarios(3);
    }

    @Property(tries = 8, seed = "20261123", edgeCases = EdgeCasesMode.NONE, shrinking = ShrinkingMode.BOUNDED)
    void thePackagedJarKeepsTheDestinationsEqualToTheSource(@ForAll("scenarios") SyncModel.Scenario scenario)
            throws Exception {
        Path work = Files.createTempDirectory("duplex-jar-model-");
        try {
            SyncModel.play(scenario, work, args -> {
                try {
                    DuplexProcess.Result r = DuplexProcess.run(TIMEOUT, args.toArray(String[]::new));
                    return new SyncModel.Outcome(r.exitCode(), r.out(), r.err());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        } finally {
            SyncModel.deleteTree(work);
        }
    }
}
