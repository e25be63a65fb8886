package dev.duplex.cli;

import dev.duplex.report.HumanUnits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Checks before anything starts that the transfer's buffers (how much: {@code TransferPipeline.directMemoryNeeded})
 * fit the JVM's direct memory. Without this check a large {@code --block-size} would stop the run half way with an
 * OutOfMemoryError instead of saying, at once, which option to change.
 */
final class DirectMemoryBudget {
    private static final String FLAG = "-XX:MaxDirectMemorySize=";
    /** Launcher options that take the next argument as their value. */
    private static final Set<String> WITH_VALUE = Set.of("-cp", "-classpath", "--class-path", "-p", "--module-path",
            "--add-modules", "--add-opens", "--add-exports", "--add-reads", "--limit-modules", "--upgrade-module-path");

    private DirectMemoryBudget() {}

    /** Why {@code needed} bytes cannot fit in {@code limitBytes} of direct memory, or empty when they can. */
    static Optional<String> problem(long blockSize, int queueCapacity, int transfers, long needed, long limitBytes) {
        if (needed <= limitBytes) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "--block-size %s with --queue-capacity %d and --transfers %d "
                        + "needs up to %s of buffers ((%d + 2 x %d) blocks), more than the %s of direct memory "
                        + "this Java allows; use a smaller --block-size, --queue-capacity or --transfers, or give "
                        + "Java more (DUPLEX_JAVA_OPTS=-XX:MaxDirectMemorySize=%dg)",
                HumanUnits.bytes(blockSize), queueCapacity, transfers, HumanUnits.bytes(needed), queueCapacity,
                transfers, HumanUnits.bytes(limitBytes), (needed >> 30) + 1));
    }

    /**
     * The JVM's direct memory limit: {@code -XX:MaxDirectMemorySize} when given (in JAVA_TOOL_OPTIONS,
     * JDK_JAVA_OPTIONS or on the command line, the last one wins), otherwise, as the JDK does, the maximum heap.
     * On Linux the command line is read from /proc (cheap); elsewhere from the runtime MXBean (~40 ms).
     */
    static long limit() {
        List<String> args = new ArrayList<>();
        for (String variable : List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS")) {
            String v = System.getenv(variable);
            if (v != null && !v.isBlank()) {
                args.addAll(Arrays.asList(v.trim().split("\\s+")));
            }
        }
        args.addAll(commandLineJvmArguments());
        return maxDirectMemorySize(args).filter(v -> v > 0).orElse(Runtime.getRuntime().maxMemory());
    }

    private static List<String> commandLineJvmArguments() {
        Path cmdline = Path.of("/proc/self/cmdline");
        if (Files.isReadable(cmdline)) {
            try {
                String[] all = new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).split("\0");
                return jvmOptions(Arrays.asList(all).subList(Math.min(1, all.length), all.length));
            } catch (IOException e) {
                // fall through to the MXBean
            }
        }
        return java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments();
    }

    /** The JVM options of a java command line (without the program name): up to {@code -jar} or the main class. */
    static List<String> jvmOptions(List<String> launcherArguments) {
        List<String> options = new ArrayList<>();
        for (int i = 0; i < launcherArguments.size(); i++) {
            String a = launcherArguments.get(i);
            if (a.equals("-jar") || !a.startsWith("-")) {
                break;
            }
            options.add(a);
            if (WITH_VALUE.contains(a)) {
                i++;
            }
        }
        return options;
    }

    /** The value of the last {@code -XX:MaxDirectMemorySize=N[kmgt]} among JVM arguments, in bytes. */
    static Optional<Long> maxDirectMemorySize(List<String> jvmArguments) {
        Optional<Long> found = Optional.empty();
        for (String a : jvmArguments) {
            if (a.startsWith(FLAG)) {
                String v = a.substring(FLAG.length()).trim().toLowerCase(Locale.ROOT);
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
