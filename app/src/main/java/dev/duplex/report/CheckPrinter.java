package dev.duplex.report;

import java.io.PrintWriter;

/**
 * Prints each problem {@code check} finds as one line ({@code MISMATCH path: why}, {@code MISSING path},
 * {@code UNREADABLE path: why}) and, with {@code verbose}, each match ({@code OK path}).
 */
public final class CheckPrinter implements CheckListener {
    private final PrintWriter out;
    private final boolean verbose;

    public CheckPrinter(PrintWriter out, boolean verbose) {
        this.out = out;
        this.verbose = verbose;
    }

    @Override
    public void matched(String path) {
        if (verbose) {
            out.println("OK " + path);
        }
    }

    @Override
    public void mismatched(String path, String why) {
        out.println("MISMATCH " + path + ": " + why);
        out.flush();
    }

    @Override
    public void missing(String path) {
        out.println("MISSING " + path);
        out.flush();
    }

    @Override
    public void unreadable(String path, String why) {
        out.println("UNREADABLE " + path + ": " + why);
        out.flush();
    }
}
