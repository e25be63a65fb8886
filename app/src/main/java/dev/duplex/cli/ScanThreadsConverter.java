package dev.duplex.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --scan-threads}: "auto" (0: a pool for trees on shares only) or a number of threads from 1 to 64. */
public final class ScanThreadsConverter implements ITypeConverter<Integer> {
    static final int MAX = 64;

    @Override
    public Integer convert(String value) {
        if (value.equalsIgnoreCase("auto")) {
            return 0;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= MAX) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new TypeConversionException("'" + value + "' is not auto or a number of threads from 1 to " + MAX);
    }
}
