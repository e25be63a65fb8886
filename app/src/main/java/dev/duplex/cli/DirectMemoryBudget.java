package dev.duplex.cli;

import dev.duplex.report.HumanUnits;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks before anything starts that the block buffers fit the JVM's direct memory: the transfer pipeline keeps up
 * to (queue capacity + 2 x transfers) blocks, plus as many 64 KiB small-file buffers and a 1 MiB buffer per
 * destination for {@code --verify}. Without this check a large {@code --block-size} would stop the run half way
 * with an OutOfMemoryError instead of saying, at once, which option to change.
 */
final class DirectMemoryBudget {
    private static final long SMALL_BUFFER_BYTES = 64 * 1024;
    private static final long VERIFY_BUFFERS_BYTES = 2 * 1024 * 1024;

    private DirectMemoryBudget() {}

    /** Bytes of direct memory the pipeline may allocate with these options. */
    static long needed(long blockSize, int queueCapacity, int transfers) {
        long buffers = (long) queueCapacity + 2L * transfers;
        return buffers * (blockSize + Math.min(SMALL_BUFFER_BYTES, blockSize)) + VERIFY_BUFFERS_BYTES;
    }

    /** Why these options cannot run in {@code limitBytes} of direct memory, or empty when they can. */
    static Optional<String> problem(long blockSize, int queueCapacity, int transfers, long limitBytes) {
        long needed = needed(blockSize, queueCapacity, transfers);
        if (needed <= limitBytes) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "--block-size %s with --queue-capacity %d and --transfers %d "
                        + "needs up to %s of block buffers ((%d + 2 x %d) blocks), more than the %s of direct memory "
                        + "this Java allows; use a smaller --block-size, --queue-capacity or --transfers, or give "
                        + "Java more (DUPLEX_JAVA_OPTS=-XX:MaxDirectMemorySize=%dg)",
                HumanUnits.bytes(blockSize), queueCapacity, transfers, HumanUnits.bytes(needed), queueCapacity,
                transfers, HumanUnits.bytes(limitBytes), (needed >> 30) + 1));
    }

    /**
     * The JVM's direct memory limit: {@code -XX:MaxDirectMemorySize} when given, otherwise (as the JDK does) the
     * maximum heap size. The JVM's arguments are only looked at when the heap size alone would be too small, so
     * the common case costs nothing at start-up.
     */
    static long limit(long neededBytes) {
        long heap = Runtime.getRuntime().maxMemory();
        if (neededBytes <= heap) {
            return heap;
        }
        return maxDirectMemorySize(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments())
                .orElse(heap);
    }

    /** The value of the last {@code -XX:MaxDirectMemorySize=N[kmg]} among JVM arguments, in bytes. */
    static Optional<Long> maxDirectMemorySize(List<String> jvmArguments) {
        Optional<Long> found = Optional.empty();
        for (String a : jvmArguments) {
            if (a.startsWith("-XX:MaxDirectMemorySize=")) {
                String v = a.substring("-XX:MaxDirectMemorySize=".length()).trim().toLowerCase(Locale.ROOT);
                long unit = 1;
                char last = v.isEmpty() ? ' ' : v.charAt(v.length() - 1);
                switch (last) {
                    case 'k' -> unit = 1L << 10;
                    case 'm' -> unit = 1L << 20;
                    case 'g' -> unit = 1L << 30;
                    case 't' -> unit = 1L << 40;
                    default -> { }
                }
                String digits = unit == 1 ? v : v.substring(0, v.length() - 1);
                try {
                    found = Optional.of(Long.parseLong(digits) * unit);
                } catch (NumberFormatException e) {
                    // the JVM would not have started with it; ignore
                }
            }
        }
        return found;
    }
}
