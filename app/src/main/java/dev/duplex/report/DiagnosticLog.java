package dev.duplex.report;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * The diagnostic log (stack traces, one-time platform notes, with {@code -v} debug detail), separate from the
 * audit log. Off until {@link #writeTo} points it at a file; nothing of it reaches the terminal. Rotated by
 * size: {@code x.log} is renamed to {@code x.1.log} (and so on up to {@value #KEEP}) when it passes
 * {@value #MAX_SIZE}, so a job that runs for months keeps at most about 60 MB of it. The audit log is never
 * rotated by duplex: it is the record of what was copied.
 */
public final class DiagnosticLog {
    static final String MAX_SIZE = "10MB";
    static final int KEEP = 5;

    private DiagnosticLog() {}

    /** The log level for a verbosity: 0 = INFO, 1 ({@code -v}) = DEBUG, 2 or more = TRACE. */
    static Level levelFor(int verbosity) {
        return verbosity <= 0 ? Level.INFO : verbosity == 1 ? Level.DEBUG : Level.TRACE;
    }

    /** Appends INFO and above to {@code file}. */
    public static void writeTo(Path file) {
        writeTo(file, 0);
    }

    /** Appends to {@code file} at the level for {@code verbosity}; safe to call more than once (in-process tests). */
    public static void writeTo(Path file, int verbosity) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{ISO8601} %-5level [%thread] %logger{20} - %msg%n");
        encoder.start();
        RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
        appender.setContext(context);
        appender.setName("diagnostic");
        appender.setFile(file.toString());
        appender.setAppend(true);
        appender.setEncoder(encoder);
        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(context);
        rolling.setParent(appender);
        rolling.setFileNamePattern(rolledName(file));
        rolling.setMinIndex(1);
        rolling.setMaxIndex(KEEP);
        rolling.start();
        SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
        trigger.setContext(context);
        trigger.setMaxFileSize(FileSize.valueOf(MAX_SIZE));
        trigger.start();
        appender.setRollingPolicy(rolling);
        appender.setTriggeringPolicy(trigger);
        appender.start();
        root.addAppender(appender);
        root.setLevel(levelFor(verbosity));
    }

    /**
     * Sends the log to standard error (the daemon's log: systemd's journal, WinSW's log file), and also to
     * {@code file} when given, at the level for {@code verbosity}.
     */
    public static void toStandardError(java.util.Optional<Path> file, int verbosity) {
        if (file.isPresent()) {
            writeTo(file.get(), verbosity);
        }
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (file.isEmpty()) {
            root.detachAndStopAllAppenders();
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{ISO8601} %-5level %msg%n");
        encoder.start();
        ch.qos.logback.core.ConsoleAppender<ILoggingEvent> console = new ch.qos.logback.core.ConsoleAppender<>();
        console.setContext(context);
        console.setName("stderr");
        console.setTarget("System.err");
        console.setEncoder(encoder);
        console.start();
        root.addAppender(console);
        root.setLevel(levelFor(verbosity));
    }

    /** {@code x.log} rolls to {@code x.%i.log} (logback replaces {@code %i} with 1..KEEP). */
    static String rolledName(Path file) {
        String name = file.toString();
        return name.endsWith(".log") ? name.substring(0, name.length() - 4) + ".%i.log" : name + ".%i";
    }
}
