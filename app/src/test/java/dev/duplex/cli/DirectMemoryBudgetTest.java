package dev.duplex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.transfer.BandwidthLimiter;
import dev.duplex.transfer.TransferPipeline;
import java.util.List;
import org.junit.jupiter.api.Test;

class DirectMemoryBudgetTest {
    private static final long MIB = 1L << 20;

    /** What the pipeline says it needs without a bandwidth limit. */
    private static long needed(long blockSize, int queueCapacity, int transfers, int destinations, boolean verify) {
        return TransferPipeline.directMemoryNeeded(BandwidthLimiter.unlimited(), (int) blockSize, queueCapacity,
                transfers, destinations, verify);
    }

    @Test
    void theDefaultsNeedAboutOneHundredFortyMebibytes() {
        // 5M blocks: (20 + 2 x 4) x (5 MiB + 64 KiB)
        long needed = needed(5 * MIB, 20, 4, 1, false);
        assertThat(needed).isEqualTo(28 * (5 * MIB + 64 * 1024));
        assertThat(DirectMemoryBudget.problem(5 * MIB, 20, 4, needed, 1024 * MIB)).isEmpty();
    }

    @Test
    void verifyAddsAOneMebibyteReadBufferPerWriter() {
        long plain = needed(5 * MIB, 20, 4, 2, false);
        assertThat(needed(5 * MIB, 20, 4, 2, true)).isEqualTo(plain + 4 * 2 * MIB);
        assertThat(needed(5 * MIB, 20, 3, 1, true))
                .isEqualTo(needed(5 * MIB, 20, 3, 1, false) + 3 * MIB);
    }

    @Test
    void tooManyLargeBlocksForTheLimitNameTheOptionsAndTheFix() {
        long needed = needed(64 * MIB, 20, 4, 1, false);
        assertThat(DirectMemoryBudget.problem(64 * MIB, 20, 4, needed, 1024 * MIB)).hasValueSatisfying(p -> assertThat(p)
                .startsWith("--block-size 64.0 MiB with --queue-capacity 20 and --transfers 4 needs up to 1.8 GiB")
                .contains("more than the 1.0 GiB of direct memory")
                .endsWith("DUPLEX_JAVA_OPTS=-XX:MaxDirectMemorySize=2g)"));
        assertThat(DirectMemoryBudget.problem(64 * MIB, 4, 1, needed(64 * MIB, 4, 1, 1, false),
                1024 * MIB)).isEmpty();
    }

    @Test
    void smallBlocksNeedNoMoreThanTheirSizeForSmallFiles() {
        assertThat(needed(4096, 1, 1, 1, false)).isEqualTo(3 * (4096 + 4096));
    }

    @Test
    void readsTheLastMaxDirectMemorySizeArgumentInAnyUnit() {
        assertThat(DirectMemoryBudget.maxDirectMemorySize(List.of("-Xmx1g"))).isEmpty();
        assertThat(DirectMemoryBudget.maxDirectMemorySize(List.of("-XX:MaxDirectMemorySize=2g"))).contains(2L << 30);
        assertThat(DirectMemoryBudget.maxDirectMemorySize(List.of("-XX:MaxDirectMemorySize=512M"))).contains(512 * MIB);
        assertThat(DirectMemoryBudget.maxDirectMemorySize(List.of("-XX:MaxDirectMemorySize=64k"))).contains(64L << 10);
        assertThat(DirectMemoryBudget.maxDirectMemorySize(List.of("-XX:MaxDirectMemorySize=1048576",
                "-XX:MaxDirectMemorySize=3G"))).contains(3L << 30);
        assertThat(DirectMemoryBudget.maxDirectMemorySize(List.of("-XX:MaxDirectMemorySize=lots"))).isEmpty();
    }

    @Test
    void theJvmOptionsOfACommandLineEndAtTheJarOrTheMainClass() {
        assertThat(DirectMemoryBudget.jvmOptions(List.of("-Xmx1g", "-XX:MaxDirectMemorySize=64m", "-jar", "d.jar",
                "-XX:MaxDirectMemorySize=9g", "src", "dst"))).containsExactly("-Xmx1g", "-XX:MaxDirectMemorySize=64m");
        assertThat(DirectMemoryBudget.jvmOptions(List.of("-cp", "a.jar:b.jar", "-Xss1m", "dev.duplex.Main", "-Xfoo")))
                .containsExactly("-cp", "-Xss1m");
        assertThat(DirectMemoryBudget.jvmOptions(List.of())).isEmpty();
    }

    @Test
    void withoutTheFlagTheLimitIsTheHeap() {
        // this test JVM is started by surefire without -XX:MaxDirectMemorySize
        assertThat(DirectMemoryBudget.limit()).isEqualTo(Runtime.getRuntime().maxMemory());
    }
}
