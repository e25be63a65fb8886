package dev.duplex.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses byte sizes such as {@code 5M}, {@code 64K}, {@code 1G} or {@code 1048576}: K, M, G, T are powers of 1024. */
public final class SizeConverter implements ITypeConverter<Long> {
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGT]?)(?:I?B)?");

    @Override
    public Long convert(String value) {
        return parse(value);
    }

    /** The size in bytes; throws {@link TypeConversionException} naming the value when it is not a size. */
    public static long parse(String value) {
        Matcher m = SIZE.matcher(value.trim().toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            throw new TypeConversionException("'" + value + "' is not a size (examples: 5M, 64K, 1G, 1048576)");
        }
        double number = Double.parseDouble(m.group(1));
        double bytes = number * multiplier(m.group(2));
        if (bytes > Long.MAX_VALUE / 2) {
            throw new TypeConversionException("'" + value + "' is too large");
        }
        if (bytes != Math.floor(bytes)) {
            throw new TypeConversionException("'" + value + "' is not a whole number of bytes");
        }
        return (long) bytes;
    }

    private static double multiplier(String suffix) {
        return switch (suffix) {
            case "K" -> 1024d;
            case "M" -> 1024d * 1024;
            case "G" -> 1024d * 1024 * 1024;
            case "T" -> 1024d * 1024 * 1024 * 1024;
            default -> 1d;
        };
    }
}
