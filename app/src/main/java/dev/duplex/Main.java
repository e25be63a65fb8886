package dev.duplex;

import dev.duplex.backlog.BacklogException;
import dev.duplex.backlog.NativeSqlite;
import dev.duplex.cli.ExitCode;
import dev.duplex.cli.RunEnvironment;
import dev.duplex.cli.CommandTree;
import dev.duplex.job.JobFailure;
import dev.duplex.job.JobFiles;
import dev.duplex.report.AuditLogException;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Builds the command line and maps every outcome to an exit code: the only {@code System.exit}, and the one place
 * where exceptions become messages for the user (stack traces go to the diagnostic log).
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        warnIfFileNamesAreNotUtf8(err);
        StopSignals.install(Thread.currentThread());
        RunEnvironment environment = RunEnvironment.fromSystem();
        NativeSqlite.useCopyIn(JobFiles.stateDirectory(environment.env(), environment.userHome(),
                environment.osName()).resolve("lib"));
        int code = run(args, out, err, environment);
        if (code == ExitCode.INTERRUPTED.code()) {
            code = StopSignals.exitCode().orElse(code); // 143 when SIGTERM stopped the run
        }
        System.exit(code);
    }

    /** Runs one command line; returns the exit code. The entry point for in-process tests. */
    public static int run(String[] args, PrintWriter out, PrintWriter err, RunEnvironment environment) {
        CommandLine cl = CommandTree.forArgs(args, environment);
        cl.setOut(out);
        cl.setErr(err);
        try {
            CommandTree.applyConfig(cl, args, environment);
        } catch (IllegalArgumentException e) {
            err.println("duplex: " + e.getMessage());
            err.flush();
            return ExitCode.USAGE.code();
        }
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("duplex: " + ex.getMessage());
            err.println("Try 'duplex " + (ex.getCommandLine().getParent() == null ? ""
                    : ex.getCommandLine().getCommandName() + " ") + "--help' for the options.");
            err.flush();
            return ExitCode.USAGE.code();
        });
        cl.setExecutionExceptionHandler((ex, command, parseResult) -> {
            int code = exitCodeFor(ex, err);
            err.flush();
            return code;
        });
        try {
            return cl.execute(CommandTree.literalOptionValues(cl, args));
        } catch (CommandLine.InitializationException e) {
            // an @FILE argument file that cannot be read
            err.println("duplex: " + e.getMessage() + " (an argument starting with @ is read as a file of "
                    + "arguments; write a literal @ as @@)");
            err.flush();
            return ExitCode.USAGE.code();
        }
    }

    private static int exitCodeFor(Exception ex, PrintWriter err) {
        Logger log = LoggerFactory.getLogger(Main.class);
        if (ex instanceof JobFailure f) {
            log.error("run stopped: {}", f.getMessage(), f);
            err.println("duplex: " + f.getMessage());
            return switch (f.kind()) {
                case USAGE -> ExitCode.USAGE.code();
                case LOCKED -> ExitCode.LOCKED.code();
                case FATAL -> ExitCode.FATAL.code();
            };
        }
        if (ex instanceof BacklogException b) {
            log.error("state db failure", b);
            err.println("duplex: " + b.getMessage());
            return ExitCode.FATAL.code();
        }
        if (ex instanceof AuditLogException a) {
            log.error("audit log failure", a);
            err.println("duplex: " + a.getMessage());
            return ExitCode.FATAL.code();
        }
        if (ex instanceof InterruptedException) {
            err.println("duplex: interrupted before the run started");
            return ExitCode.INTERRUPTED.code();
        }
        log.error("unexpected failure", ex);
        err.println("duplex: unexpected failure: " + ex + " (details in the diagnostic log next to the db)");
        return ExitCode.FATAL.code();
    }

    /**
     * The JVM decodes file names with the locale's charset: under cron's bare environment (POSIX locale) every
     * non-ASCII name would fail. The ./duplex launcher sets a UTF-8 locale; say so when run otherwise.
     */
    private static void warnIfFileNamesAreNotUtf8(PrintWriter err) {
        String jnu = System.getProperty("sun.jnu.encoding", Charset.defaultCharset().name());
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        if (!windows && !jnu.toUpperCase(Locale.ROOT).replace("-", "").equals("UTF8")) {
            err.println("duplex: warning: file names are decoded as " + jnu + ", so names outside ASCII cannot be "
                    + "copied; run with a UTF-8 locale (LC_ALL=C.UTF-8), as the ./duplex launcher does");
        }
    }
}
