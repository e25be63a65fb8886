package dev.duplex.cli;

import dev.duplex.transfer.SourceAccess;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Maps {@code --mmap} values (auto, always, never) to {@link SourceAccess.Choice}. */
public final class MmapConverter implements ITypeConverter<SourceAccess.Choice> {
    @Override
    public SourceAccess.Choice convert(String value) {
        try {
            return SourceAccess.Choice.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("'" + value + "' is not one of auto, always, never");
        }
    }
}
