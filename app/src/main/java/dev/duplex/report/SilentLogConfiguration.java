package dev.duplex.report;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's start-up configuration: everything off until {@link DiagnosticLog#writeTo} attaches the job's
 * diagnostic log; the terminal gets only what the progress printer and Main write. Done in code (found by
 * logback through {@code META-INF/services}) rather than in a logback.xml, whose XML parsing was a tenth of a
 * second of every run's start.
 */
public final class SilentLogConfiguration extends ContextAwareBase implements Configurator {
    @Override
    public ExecutionStatus configure(LoggerContext context) {
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.OFF);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
