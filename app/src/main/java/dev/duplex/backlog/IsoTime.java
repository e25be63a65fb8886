package dev.duplex.backlog;

import java.time.Instant;
import java.time.LocalDate;

/**
 * The db's text form of an instant: exactly {@link Instant#toString()} (ISO-8601 UTC, with 0, 3, 6 or 9 fraction
 * digits), which the db compares as text to tell whether a file changed since its hash was recorded. Written and
 * read here without {@code DateTimeFormatter}, which cost more than the row insert itself when a scan records a
 * million files; instants outside years 1970-9999 take the JDK's path.
 */
public final class IsoTime {
    private static final long MAX_SECOND = 253_402_300_799L; // 9999-12-31T23:59:59Z

    private IsoTime() {}

    /** The same text as {@code instant.toString()}. */
    public static String format(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds < 0 || seconds > MAX_SECOND) {
            return instant.toString();
        }
        long days = Math.floorDiv(seconds, 86_400L);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
        LocalDate date = LocalDate.ofEpochDay(days);
        char[] out = new char[30];
        int i = 0;
        i = digits(out, i, date.getYear(), 4);
        out[i++] = '-';
        i = digits(out, i, date.getMonthValue(), 2);
        out[i++] = '-';
        i = digits(out, i, date.getDayOfMonth(), 2);
        out[i++] = 'T';
        i = digits(out, i, secondOfDay / 3600, 2);
        out[i++] = ':';
        i = digits(out, i, secondOfDay / 60 % 60, 2);
        out[i++] = ':';
        i = digits(out, i, secondOfDay % 60, 2);
        int nano = instant.getNano();
        if (nano != 0) {
            out[i++] = '.';
            if (nano % 1_000_000 == 0) {
                i = digits(out, i, nano / 1_000_000, 3);
            } else if (nano % 1000 == 0) {
                i = digits(out, i, nano / 1000, 6);
            } else {
                i = digits(out, i, nano, 9);
            }
        }
        out[i++] = 'Z';
        return new String(out, 0, i);
    }

    /** Parses what {@link #format} (or {@code Instant.toString()}) wrote. */
    public static Instant parse(String text) {
        int n = text.length();
        if (n < 20 || n > 30 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(n - 1) != 'Z') {
            return Instant.parse(text);
        }
        int fractionDigits = n == 20 ? 0 : n - 21;
        if (fractionDigits != 0 && (text.charAt(19) != '.' || (fractionDigits != 3 && fractionDigits != 6
                && fractionDigits != 9))) {
            return Instant.parse(text);
        }
        int year = number(text, 0, 4);
        int month = number(text, 5, 2);
        int day = number(text, 8, 2);
        int hour = number(text, 11, 2);
        int minute = number(text, 14, 2);
        int second = number(text, 17, 2);
        int fraction = fractionDigits == 0 ? 0 : number(text, 20, fractionDigits);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59
                || fraction < 0) {
            return Instant.parse(text);
        }
        int nano = fraction * (fractionDigits == 3 ? 1_000_000 : fractionDigits == 6 ? 1000 : 1);
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400L + hour * 3600L + minute * 60L + second, nano);
    }

    private static int digits(char[] out, int at, int value, int width) {
        for (int k = width - 1; k >= 0; k--) {
            out[at + k] = (char) ('0' + value % 10);
            value /= 10;
        }
        return at + width;
    }

    /** The decimal number in {@code text[from, from+width)}, or -1 when a character is not a digit. */
    private static int number(String text, int from, int width) {
        int v = 0;
        for (int k = from; k < from + width; k++) {
            char c = text.charAt(k);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
