package dev.duplex.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses {@code --bwlimit}: bytes per second with K, M, G suffixes (powers of 1024), an optional "/s"; 0 = unlimited. */
public final class RateConverter implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
        String bare = value.trim();
        if (bare.endsWith("/s") || bare.endsWith("/S")) {
            bare = bare.substring(0, bare.length() - 2);
        }
        try {
            return SizeConverter.parse(bare);
        } catch (TypeConversionException e) {
            throw new TypeConversionException("'" + value
                    + "' is not a rate (bytes per second, examples: 20M, 512K, 0 for unlimited)");
        }
    }
}
