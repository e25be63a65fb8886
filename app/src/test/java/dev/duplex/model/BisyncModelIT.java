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
 * Two-way sync, model-based, in-process: random trees and random edits on both sides, runs interleaved; after
 * every run both sides are equal (but for unresolved skip conflicts), no file version that existed before the run
 * is gone from both sides (the trash counts), and a second run changes nothing. Fixed seed for CI; more with
 * {@code -Djqwik.tries.default=...} and another seed.
 */
class BisyncModelIT {
    @Provide
    Arbitrary<BisyncModel.Scenario> scenarios() {
        return BisyncModel.scenarios();
    }

    @Property(tries = 80, seed = "20261202", shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.NONE)
    void bothSidesAgreeAndNoVersionIsLost(@ForAll("scenarios") BisyncModel.Scenario scenario) throws IOException {
        Path work = Files.createTempDirectory("duplex-bisync-model-");
        try {
            new BisyncModel(work, args -> {
                Duplex.Result r = Duplex.run(RunEnvironment.forTests(work.resolve("state")),
                        args.toArray(String[]::new));
                return new BisyncModel.Outcome(r.exitCode(), r.out(), r.err());
            }).play(scenario);
        } finally {
            BisyncModel.deleteTree(work);
        }
    }
}
