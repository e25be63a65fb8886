package dev.duplex.report;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Shows the run to a person or a log: on a terminal a live status line rewritten twice a second; otherwise
 * (cron, CI, a pipe) one plain progress line every {@code plainInterval}. Events (notices, warnings, failures)
 * are printed as whole lines, clearing the status line first. Thread-safe: every print holds this object's lock.
 */
public final class ProgressPrinter implements TransferListener, AutoCloseable {
    private static final Duration TERMINAL_INTERVAL = Duration.ofMillis(500);
    private static final int NAME_WIDTH = 40;

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean interactive;
    private final TransferStats stats;
    private final Clock clock;
    private final Duration plainInterval;
    private final ScheduledExecutorService ticker;
    private ScheduledFuture<?> tick;
    private Phase phase = Phase.SCAN;
    private boolean statusShown;
    private long lastBytes;
    private Instant lastTime;
    private double rateBytesPerSecond;
    private final long[] lastWritten = new long[2];

    public ProgressPrinter(PrintWriter out, PrintWriter err, boolean interactive, TransferStats stats, Clock clock,
                           Duration plainInterval) {
        this.out = out;
        this.err = err;
        this.interactive = interactive;
        this.stats = stats;
        this.clock = clock;
        this.plainInterval = plainInterval;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "duplex-progress");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public synchronized void phaseStarted(Phase next) {
        clearStatus();
        phase = next;
        if (next == Phase.DONE) {
            stopTicking();
            return;
        }
        lastTime = clock.instant();
        lastBytes = stats.snapshot().bytesRead();
        if (tick == null && (next == Phase.SCAN || next == Phase.TRANSFER)) {
            long period = (interactive ? TERMINAL_INTERVAL : plainInterval).toMillis();
            tick = ticker.scheduleAtFixedRate(this::tick, period, period, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public synchronized void notice(String message) {
        clearStatus();
        out.println(message);
        out.flush();
    }

    @Override
    public synchronized void warning(String message) {
        clearStatus();
        out.flush();
        err.println("warning: " + message);
        err.flush();
    }

    @Override
    public synchronized void fileFailed(String path, String reason) {
        clearStatus();
        out.flush();
        err.println("failed: " + path + ": " + reason);
        err.flush();
    }

    /** Prints one status line now; called by the ticker thread. */
    synchronized void tick() {
        String line = statusLine();
        if (line.isEmpty()) {
            return;
        }
        if (interactive) {
            out.print("\r" + line + "\u001b[K");
            statusShown = true;
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** The status line for the current phase, or "" when there is nothing to show. */
    synchronized String statusLine() {
        TransferStats.Snapshot s = stats.snapshot();
        return switch (phase) {
            case SCAN -> String.format("scanning: source %s files (%s), destination %s files, %s pending (%s)",
                    HumanUnits.count(s.sourceFilesScanned()), HumanUnits.bytes(s.sourceBytesScanned()),
                    HumanUnits.count(s.destFilesScanned()), HumanUnits.count(s.pendingFilesFound()),
                    HumanUnits.bytes(s.pendingBytesFound()));
            case TRANSFER -> transferLine(s);
            default -> "";
        };
    }

    private String transferLine(TransferStats.Snapshot s) {
        Instant now = clock.instant();
        double seconds = Math.max(0.001, Duration.between(lastTime, now).toMillis() / 1000.0);
        double instant = (s.bytesRead() - lastBytes) / seconds;
        rateBytesPerSecond = rateBytesPerSecond == 0 || !interactive ? instant : 0.7 * rateBytesPerSecond + 0.3 * instant;
        lastBytes = s.bytesRead();
        lastTime = now;
        String perDestination = perDestination(s, seconds);
        long backlogLeft = Math.max(0, s.backlogBytes() - s.bytesRead());
        StringBuilder b = new StringBuilder();
        Optional<TransferStats.CurrentFile> current = s.currentFile();
        b.append(current.map(c -> "copying " + shorten(c.displayName())).orElse("copying"));
        b.append("  ").append(HumanUnits.rate(rateBytesPerSecond));
        current.ifPresent(c -> b.append("  file ETA ")
                .append(eta(Math.max(0, c.sizeBytes() - c.bytesDone().get()))));
        b.append("  backlog ETA ").append(eta(backlogLeft));
        b.append("  ").append(HumanUnits.bytes(s.bytesRead())).append(" this run, ")
                .append(HumanUnits.bytes(s.syncedBytesBeforeRun() + s.bytesCommitted())).append(" of ")
                .append(HumanUnits.bytes(s.syncedBytesBeforeRun() + s.backlogBytes())).append(" synced");
        b.append("  files ").append(HumanUnits.count(s.filesCopied())).append('/')
                .append(HumanUnits.count(s.backlogFiles()));
        if (s.filesFailed() > 0) {
            b.append(", ").append(HumanUnits.count(s.filesFailed())).append(" failed");
        }
        return b.append(perDestination).toString();
    }

    /** With two destinations: each one's write rate and queue depth, so a slow share shows itself. */
    private String perDestination(TransferStats.Snapshot s, double seconds) {
        long[] written = {s.bytesWrittenDest1(), s.bytesWrittenDest2()};
        int[] depths = s.queueDepths();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < depths.length && depths.length > 1; i++) {
            b.append(i == 0 ? "  [" : ", ").append(i == 0 ? "DEST " : "DEST2 ")
                    .append(HumanUnits.rate((written[i] - lastWritten[i]) / seconds))
                    .append(" queue ").append(depths[i]);
        }
        for (int i = 0; i < written.length; i++) {
            lastWritten[i] = written[i];
        }
        return b.length() == 0 ? "" : b.append(']').toString();
    }

    private String eta(long bytesLeft) {
        if (rateBytesPerSecond < 1) {
            return bytesLeft == 0 ? "0s" : "?";
        }
        return HumanUnits.duration(Duration.ofSeconds((long) (bytesLeft / rateBytesPerSecond)));
    }

    private static String shorten(String name) {
        String oneLine = name.replace('\n', '?').replace('\r', '?');
        if (oneLine.length() <= NAME_WIDTH) {
            return oneLine;
        }
        int keep = NAME_WIDTH - 3;
        return oneLine.substring(0, keep / 3) + "..." + oneLine.substring(oneLine.length() - (keep - keep / 3));
    }

    private void clearStatus() {
        if (statusShown) {
            out.print("\r\u001b[K");
            statusShown = false;
        }
    }

    private void stopTicking() {
        if (tick != null) {
            tick.cancel(false);
            tick = null;
        }
    }

    @Override
    public synchronized void close() {
        stopTicking();
        clearStatus();
        out.flush();
        ticker.shutdownNow();
    }
}
