package dev.duplex.report;

import java.time.Duration;
import java.util.Locale;

/** Formats byte counts (binary units, like the --bwlimit suffixes), rates and durations for people. */
public final class HumanUnits {
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

    private HumanUnits() {}

    public static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double v = bytes;
        int unit = 0;
        while (v >= 1024 && unit < UNITS.length - 1) {
            v /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : "%.1f %s", v, UNITS[unit]);
    }

    public static String rate(double bytesPerSecond) {
        return bytes((long) bytesPerSecond) + "/s";
    }

    /** {@code 45s}, {@code 12:03}, {@code 3:02:07}, {@code 2d 03:00:00}; "?" when unknown. */
    public static String duration(Duration d) {
        if (d == null || d.isNegative()) {
            return "?";
        }
        long s = d.getSeconds();
        if (s < 60) {
            return s + "s";
        }
        long days = s / 86_400;
        long h = (s % 86_400) / 3600;
        long m = (s % 3600) / 60;
        long sec = s % 60;
        if (days > 0) {
            return String.format(Locale.ROOT, "%dd %02d:%02d:%02d", days, h, m, sec);
        }
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, sec) : String.format(Locale.ROOT, "%d:%02d", m, sec);
    }

    /** Seconds with one decimal, for summaries. */
    public static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
