package dev.duplex;

import java.util.Optional;
import sun.misc.Signal;

/**
 * SIGINT (Ctrl-C) and SIGTERM (kill, systemd, Task Scheduler's end task) interrupt the job thread instead of
 * killing the JVM outright, so the run stops cleanly: workers end, temp files of unfinished files are removed,
 * the db and audit log are flushed and the summary printed. A second signal, or a clean stop that takes longer
 * than {@value #GRACE_SECONDS} s, halts at once (the next run sweeps whatever is left).
 */
final class StopSignals {
    static final int GRACE_SECONDS = 30;

    private static volatile Signal received;

    private StopSignals() {}

    static void install(Thread jobThread) {
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), s -> onSignal(s, jobThread));
            } catch (IllegalArgumentException unsupported) {
                // this platform has no such signal (or the JVM reserves it); the default action stays
            }
        }
    }

    private static void onSignal(Signal s, Thread jobThread) {
        if (received != null) {
            Runtime.getRuntime().halt(128 + s.getNumber());
        }
        received = s;
        jobThread.interrupt();
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(GRACE_SECONDS * 1000L);
                Runtime.getRuntime().halt(128 + s.getNumber());
            } catch (InterruptedException ignored) {
                // the JVM is exiting normally
            }
        }, "duplex-stop-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /** 128 + the number of the signal that stopped the run (130 for SIGINT, 143 for SIGTERM), if one did. */
    static Optional<Integer> exitCode() {
        Signal s = received;
        return s == null ? Optional.empty() : Optional.of(128 + s.getNumber());
    }
}
